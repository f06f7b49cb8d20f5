import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, CloseCode } from '../../dist/index.js';
import { startFakeGateway, deadUrl, until, notification } from '../support/fake-gateway.mjs';

// Everything a test starts is stopped after it, pass or fail.
const cleanups = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()();
});
async function gateway(options) {
  const gw = await startFakeGateway(options);
  cleanups.push(() => gw.close());
  return gw;
}
function client(options) {
  // random 0: every reconnect delay is 0 ms, so tests run fast; backoff bounds have their own tests.
  const c = connect({ random: () => 0, ...options });
  cleanups.push(() => c.close());
  return c;
}
/** Records every client event in order, as [name, payload]. */
function record(c) {
  const log = [];
  for (const name of ['connecting', 'open', 'resumed', 'closed', 'reconnecting', 'error', 'notification']) {
    c.on(name, (payload) => log.push([name, payload]));
  }
  return log;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('connects, reports open with the node, and delivers notifications to both kinds of listener', async () => {
  const gw = await gateway({ node: 'gw-A', welcomeCursor: 'c-0' });
  const c = client({ url: gw.url, token: 'tok' });
  const all = [];
  const graded = [];
  c.on('notification', (n, info) => all.push([n.id, info.node]));
  c.on('grade.published', (n) => graded.push(n.id));
  const opened = await c.whenOpen(2000);
  assert.equal(opened.node, 'gw-A');
  assert.equal(opened.resuming, false);
  assert.equal(c.state, 'open');
  assert.equal(c.cursor, 'c-0', 'a fresh connection starts at the welcome cursor');
  const conn = await gw.connection(0);
  assert.equal(conn.token, 'tok');
  assert.equal(conn.cursor, null);

  conn.send(notification({ id: 'n1', event: 'grade.published' }));
  conn.send(notification({ id: 'n2', event: 'homework.due' }));
  await until(() => all.length === 2);
  assert.deepEqual(all, [['n1', 'gw-A'], ['n2', 'gw-A']]);
  assert.deepEqual(graded, ['n1']);
});

test('drops duplicate ids, within a connection and across a reconnect', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok' });
  const ids = [];
  c.on('notification', (n) => ids.push(n.id));
  await c.whenOpen(2000);
  const first = await gw.connection(0);
  first.send(notification({ id: 'a', cursor: 'c-a' }));
  first.send(notification({ id: 'a', cursor: 'c-a' }));
  first.send(notification({ id: 'b', cursor: 'c-b' }));
  await until(() => c.stats.received === 3);
  first.terminate(); // the node dies without a close frame

  const second = await gw.connection(1);
  // The replay overlaps what the client already had (at-least-once): b again, then c.
  second.send(notification({ id: 'b', cursor: 'c-b' }));
  second.send(notification({ id: 'c', cursor: 'c-c' }));
  second.send({ type: 'resumed', recovered: true, replayed: 2, cursor: 'c-c' });
  await until(() => c.stats.received === 5);
  assert.deepEqual(ids, ['a', 'b', 'c']);
  assert.equal(c.stats.duplicates, 2);
  assert.equal(c.stats.delivered, 3);
});

test('the dedupe memory is bounded by dedupeCapacity', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok', dedupeCapacity: 2 });
  const ids = [];
  c.on('notification', (n) => ids.push(n.id));
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  for (const id of ['x', 'y', 'z', 'x']) conn.send(notification({ id }));
  await until(() => c.stats.received === 4);
  // x was forgotten (capacity 2) so its redelivery gets through: memory wins over perfect recall.
  assert.deepEqual(ids, ['x', 'y', 'z', 'x']);
});

test('reconnects with the last cursor and takes the cursor from the replay, not from the welcome', async () => {
  const gw = await gateway({ welcomeCursor: 'node-position' });
  const c = client({ url: gw.url, token: 'tok' });
  const log = record(c);
  await c.whenOpen(2000);
  const first = await gw.connection(0);
  assert.equal(c.cursor, 'node-position');
  first.send(notification({ id: 'n1', cursor: 'after-n1' }));
  await until(() => c.cursor === 'after-n1');
  first.close(1001, 'going away');

  const second = await gw.connection(1);
  assert.equal(second.cursor, 'after-n1', 'the reconnect carries ?cursor= of the last notification');
  await until(() => c.state === 'open');
  assert.equal(c.cursor, 'after-n1', 'a resuming client ignores the welcome cursor (the node is ahead of it)');
  const open = log.filter(([name]) => name === 'open').at(-1)[1];
  assert.equal(open.resuming, true);

  second.send(notification({ id: 'n2', cursor: 'after-n2' }));
  second.send({ type: 'resumed', recovered: true, replayed: 1, cursor: 'after-resume' });
  await until(() => log.some(([name]) => name === 'resumed'));
  const resumed = log.find(([name]) => name === 'resumed')[1];
  assert.equal(resumed.recovered, true);
  assert.equal(resumed.replayed, 1);
  assert.equal(c.cursor, 'after-resume');
  const n2 = log.find(([name, n]) => name === 'notification' && n.id === 'n2');
  assert.ok(n2, 'the replayed notification was delivered');

  const closed = log.find(([name]) => name === 'closed')[1];
  assert.equal(closed.code, 1001);
  assert.equal(closed.willReconnect, true);
  assert.equal(closed.wasOpen, true);
});

test('reports recovered:false so the app can refetch', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok', cursor: 'too-old' });
  const resumed = [];
  c.on('resumed', (r) => resumed.push(r));
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  assert.equal(conn.cursor, 'too-old', 'the cursor option is used on the first connection');
  conn.send({ type: 'resumed', recovered: false, replayed: 0, cursor: 'now' });
  await until(() => resumed.length === 1);
  assert.equal(resumed[0].recovered, false);
  assert.equal(c.cursor, 'now');
});

test('on 1008 the token function is asked for a fresh token before reconnecting', async () => {
  const gw = await gateway();
  const calls = [];
  const c = client({
    url: gw.url,
    token: async (ctx) => {
      calls.push(ctx.reason);
      return `token-${calls.length}`;
    },
  });
  const log = record(c);
  await c.whenOpen(2000);
  const first = await gw.connection(0);
  assert.equal(first.token, 'token-1');
  first.close(1008, 'token expired');
  const second = await gw.connection(1);
  assert.equal(second.token, 'token-2');
  assert.deepEqual(calls, ['initial', 'rejected']);
  const reconnecting = log.find(([name]) => name === 'reconnecting')[1];
  assert.equal(reconnecting.refreshToken, true);
  assert.equal(reconnecting.url, gw.url, '1008 says nothing about the node: same URL');

  // A plain drop asks again too (the function may cache), with reason "reconnect".
  await until(() => c.state === 'open');
  second.terminate();
  await gw.connection(2);
  assert.deepEqual(calls, ['initial', 'rejected', 'reconnect']);
});

test('a fixed token that is refused with 1008 stops the client instead of looping', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'fixed' });
  const log = record(c);
  await c.whenOpen(2000);
  (await gw.connection(0)).close(1008, 'token expired');
  await until(() => c.state === 'closed');
  await sleep(50);
  assert.equal(gw.connections.length, 1);
  const closed = log.filter(([name]) => name === 'closed');
  assert.equal(closed.length, 1);
  assert.equal(closed[0][1].code, 1008);
  assert.equal(closed[0][1].willReconnect, false);
  assert.ok(log.some(([name, e]) => name === 'error' && e.code === 'token_rejected'));
});

test('an HTTP 401 at the handshake makes the token function refresh', async () => {
  const gw = await gateway({ acceptToken: (t) => t === 'fresh' });
  const calls = [];
  const c = client({
    url: gw.url,
    token: (ctx) => {
      calls.push(ctx.reason);
      return calls.length === 1 ? 'stale' : 'fresh';
    },
  });
  const log = record(c);
  await c.whenOpen(2000);
  assert.deepEqual(calls, ['initial', 'rejected']);
  const closed = log.find(([name]) => name === 'closed')[1];
  assert.equal(closed.httpStatus, 401);
  assert.equal(closed.wasOpen, false);
  assert.equal(gw.connections[0].token, 'fresh');
});

test('on 1013 the client moves to the next node', async () => {
  const a = await gateway({ node: 'gw-A', onConnection: (conn) => conn.close(1013, 'node is full') });
  const b = await gateway({ node: 'gw-B' });
  const c = client({ url: [a.url, b.url], token: 'tok' });
  const log = record(c);
  await until(() => c.state === 'open' && c.node === 'gw-B');
  const reconnecting = log.find(([name]) => name === 'reconnecting')[1];
  assert.equal(reconnecting.code, CloseCode.TRY_AGAIN_LATER);
  assert.equal(reconnecting.url, b.url);
  assert.equal(a.connections.length, 1);
  assert.equal(b.connections.length, 1);
});

test('a dead node is skipped, and the rotation wraps around', async () => {
  const dead = await deadUrl();
  const b = await gateway({ node: 'gw-B' });
  const c = client({ url: [dead, b.url], token: 'tok' });
  await c.whenOpen(2000);
  assert.equal(c.node, 'gw-B');
  // Now B dies too, and the dead node is still dead: the client keeps trying dead -> B -> dead ...
  const first = await b.connection(0);
  first.terminate();
  await b.connection(1);
  await until(() => c.state === 'open');
  assert.equal(c.node, 'gw-B');
  const urls = [];
  c.on('connecting', (e) => urls.push(e.url));
  (await b.connection(1)).terminate();
  await b.connection(2);
  assert.equal(urls[0], dead, 'after B dropped, the next attempt went to the other URL');
});

test('4408 (too slow) reconnects to the same node and resumes', async () => {
  const a = await gateway({ node: 'gw-A' });
  const b = await gateway({ node: 'gw-B' });
  const c = client({ url: [a.url, b.url], token: 'tok' });
  await c.whenOpen(2000);
  const first = await a.connection(0);
  first.send(notification({ id: 'n1', cursor: 'k1' }));
  await until(() => c.cursor === 'k1');
  first.close(4408, 'client too slow');
  const second = await a.connection(1);
  assert.equal(second.cursor, 'k1');
  assert.equal(b.connections.length, 0);
});

test('reconnect delays follow the backoff ceiling, and the client gives up after maxReconnectAttempts', async () => {
  const urls = [await deadUrl(), await deadUrl()];
  const delays = [];
  const c = connect({
    url: urls,
    token: 'tok',
    random: () => 0.9999999,
    backoff: { initialDelayMs: 10, maxDelayMs: 40, multiplier: 2 },
    maxReconnectAttempts: 5,
  });
  cleanups.push(() => c.close());
  const log = record(c);
  c.on('reconnecting', (e) => delays.push(e.delayMs));
  await until(() => c.state === 'closed', { timeoutMs: 5000 });
  assert.deepEqual(delays, [10, 20, 40, 40, 40]);
  assert.ok(log.some(([name, e]) => name === 'error' && e.code === 'gave_up'));
  assert.equal(c.stats.attempts, 6);
  const attempted = log.filter(([name]) => name === 'connecting').map(([, e]) => e.url);
  assert.deepEqual(attempted, [urls[0], urls[1], urls[0], urls[1], urls[0], urls[1]]);
});

test('a connection that stayed up resets the backoff', async () => {
  const gw = await gateway();
  const attempts = [];
  const c = client({ url: gw.url, token: 'tok', stableAfterMs: 0 });
  c.on('reconnecting', (e) => attempts.push(e.attempt));
  await c.whenOpen(2000);
  for (let i = 0; i < 3; i++) {
    (await gw.connection(i)).terminate();
    await gw.connection(i + 1);
    await until(() => c.state === 'open');
  }
  assert.deepEqual(attempts, [1, 1, 1]);
});

test('pings keep the connection alive, and a connection that stops answering is replaced', async () => {
  let answer = true;
  const gw = await gateway({ autoPong: false });
  gw.events.on('frame', (conn, frame) => {
    if (frame.type === 'ping' && answer) conn.send({ type: 'pong' });
  });
  const c = client({ url: gw.url, token: 'tok', pingIntervalMs: 30, pongTimeoutMs: 60 });
  const log = record(c);
  await c.whenOpen(2000);
  const first = await gw.connection(0);
  await until(() => first.frames.filter((f) => f.type === 'ping').length >= 3);
  assert.equal(gw.connections.length, 1, 'answered pings keep the connection');

  answer = false; // the connection goes silent (a half-open TCP connection, say)
  await gw.connection(1, 3000);
  const closed = log.find(([name]) => name === 'closed')[1];
  assert.equal(closed.code, CloseCode.PING_TIMEOUT);
  assert.equal(closed.willReconnect, true);
});

test('a node that never says welcome is given up on after connectTimeoutMs', async () => {
  const mute = await gateway({ node: 'mute', welcome: false });
  const ok = await gateway({ node: 'ok' });
  const c = client({ url: [mute.url, ok.url], token: 'tok', connectTimeoutMs: 100 });
  const log = record(c);
  await c.whenOpen(3000);
  assert.equal(c.node, 'ok');
  assert.equal(log.find(([name]) => name === 'closed')[1].code, CloseCode.CONNECT_TIMEOUT);
});

test('close() closes with 1000 and stops reconnecting', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok' });
  const log = record(c);
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  await c.close();
  assert.equal(c.state, 'closed');
  await until(() => conn.closed);
  assert.equal(conn.closed.code, 1000);
  await sleep(50);
  assert.equal(gw.connections.length, 1);
  const closed = log.filter(([name]) => name === 'closed');
  assert.equal(closed.length, 1);
  assert.equal(closed[0][1].willReconnect, false);
  await assert.rejects(c.whenOpen(10), /closed/);
});

test('close() during a reconnect delay cancels it', async () => {
  const c = connect({ url: await deadUrl(), token: 'tok', backoff: { initialDelayMs: 5000, maxDelayMs: 5000 }, random: () => 1 });
  await until(() => c.state === 'reconnecting');
  const started = Date.now();
  await c.close();
  assert.ok(Date.now() - started < 500);
  assert.equal(c.state, 'closed');
});

test('a listener that throws does not break delivery; the error is reported', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok', WebSocket }); // the ws class passed explicitly
  const errors = [];
  const ids = [];
  c.on('error', (e) => errors.push(e));
  c.on('notification', () => {
    throw new Error('boom');
  });
  c.on('notification', (n) => ids.push(n.id));
  await c.whenOpen(2000);
  (await gw.connection(0)).send(notification({ id: 'q' }));
  await until(() => ids.length === 1);
  assert.equal(errors[0].code, 'listener_error');
  assert.match(errors[0].message, /boom/);
});

test('server error frames are reported and the session stays open', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok' });
  const errors = [];
  c.on('error', (e) => errors.push(e));
  await c.whenOpen(2000);
  (await gw.connection(0)).send({ type: 'error', code: 'bad_cursor', message: 'cursor is not valid' });
  await until(() => errors.length === 1);
  assert.deepEqual(
    { code: errors[0].code, source: errors[0].source },
    { code: 'bad_cursor', source: 'server' },
  );
  assert.equal(c.state, 'open');
});

test('bad options are refused up front', () => {
  assert.throws(() => connect({ url: [], token: 't' }), /at least one/);
  assert.throws(() => connect({ url: 'ftp://x/ws', token: 't' }), /ws:/);
  assert.throws(() => connect({ url: 'ws://127.0.0.1:1/ws', token: '' }), /token/);
  assert.throws(() => connect({ url: 'ws://127.0.0.1:1/ws', token: 't', pingIntervalMs: 0 }), RangeError);
});

/** A stand-in for `window`'s online/offline events. */
function fakeNetwork() {
  const target = new EventTarget();
  const listeners = { online: 0, offline: 0 };
  return {
    listeners,
    addEventListener(type, listener) {
      listeners[type]++;
      target.addEventListener(type, listener);
    },
    removeEventListener(type, listener) {
      listeners[type]--;
      target.removeEventListener(type, listener);
    },
    fire(type) {
      target.dispatchEvent(new Event(type));
    },
  };
}

test('going offline drops the connection; coming back online reconnects at once to the same node and resumes', async () => {
  const network = fakeNetwork();
  const a = await gateway({ node: 'gw-A' });
  const b = await gateway({ node: 'gw-B' });
  // A long backoff: only the online event can explain a quick reconnect.
  const c = connect({
    url: [a.url, b.url],
    token: 'tok',
    network,
    random: () => 1,
    backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
  });
  cleanups.push(() => c.close());
  const log = record(c);
  await c.whenOpen(2000);
  assert.deepEqual(network.listeners, { online: 1, offline: 1 });
  const first = await a.connection(0);
  first.send(notification({ id: 'n1', cursor: 'after-n1' }));
  await until(() => c.cursor === 'after-n1');

  network.fire('offline');
  await until(() => c.state === 'reconnecting');
  const closed = log.find(([name]) => name === 'closed')[1];
  assert.equal(closed.code, CloseCode.OFFLINE);
  assert.equal(closed.willReconnect, true);
  await until(() => first.closed);
  const reconnecting = log.find(([name]) => name === 'reconnecting')[1];
  assert.equal(reconnecting.url, a.url, 'going offline says nothing about the node: the same one is tried');
  assert.ok(reconnecting.delayMs >= 30_000);

  const started = Date.now();
  network.fire('online');
  const second = await a.connection(1);
  await until(() => c.state === 'open');
  assert.ok(Date.now() - started < 2000, 'reconnected without waiting for the backoff');
  assert.equal(second.cursor, 'after-n1', 'the reconnect resumes from the last cursor');
  assert.equal(b.connections.length, 0);

  await c.close();
  assert.deepEqual(network.listeners, { online: 0, offline: 0 }, 'a closed client stops listening');
});

test('coming back online while open checks the connection with a ping, and replaces it when nothing answers', async () => {
  const network = fakeNetwork();
  let answer = true;
  const gw = await gateway({ autoPong: false });
  gw.events.on('frame', (conn, frame) => {
    if (frame.type === 'ping' && answer) conn.send({ type: 'pong' });
  });
  const c = client({ url: gw.url, token: 'tok', network, pingIntervalMs: 60_000, pongTimeoutMs: 100 });
  const log = record(c);
  await c.whenOpen(2000);
  const first = await gw.connection(0);

  network.fire('online');
  await until(() => first.frames.some((f) => f.type === 'ping'));
  await sleep(200);
  assert.equal(gw.connections.length, 1, 'an answered ping keeps the connection');

  answer = false; // the connection died with the old network
  network.fire('online');
  await gw.connection(1, 3000);
  assert.equal(log.find(([name]) => name === 'closed')[1].code, CloseCode.PING_TIMEOUT);
});

test('network: false ignores the network events', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok', network: false });
  await c.whenOpen(2000);
  assert.equal(typeof globalThis.addEventListener, 'undefined', 'Node has no global network events to fall back on');
  assert.equal(c.state, 'open');
});

test('debug logs connections, frames, closes and reconnects, and never the token or a payload', async () => {
  const lines = [];
  const gw = await gateway({ node: 'gw-D' });
  const c = client({
    url: gw.url,
    token: async () => 'secret-token-123',
    debug: (line) => lines.push(line),
  });
  await c.whenOpen(2000);
  const first = await gw.connection(0);
  first.send(notification({ id: 'n1', event: 'grade.published', payload: { grade: 'A+ private' } }));
  first.send(notification({ id: 'n1', event: 'grade.published', payload: { grade: 'A+ private' } }));
  await until(() => c.stats.received === 2);
  first.close(1001, 'going away');
  await gw.connection(1);
  await until(() => c.state === 'open');

  const text = lines.join('\n');
  assert.match(text, new RegExp(`connecting to ${gw.url.replace(/[/.]/g, '\\$&')} \\(attempt 0, no cursor\\)`));
  assert.match(text, /asking the token function for a token \(reason: initial\)/);
  assert.match(text, /open on node gw-D/);
  assert.match(text, /notification n1 \(grade\.published\)/);
  assert.match(text, /dropped duplicate notification n1/);
  assert.match(text, /closed 1001 \(going away\)/);
  assert.match(text, /reconnecting to .* in \d+ ms \(attempt 1\)/);
  assert.match(text, /asking the token function for a token \(reason: reconnect\)/);
  assert.doesNotMatch(text, /secret-token-123/);
  assert.doesNotMatch(text, /A\+ private/);
});

test('debug: true writes to console.debug; a logger that throws does not break the client', async () => {
  const gw = await gateway();
  const original = console.debug;
  const seen = [];
  console.debug = (...args) => seen.push(args.join(' '));
  try {
    const c = client({ url: gw.url, token: 'tok', debug: true });
    await c.whenOpen(2000);
    assert.ok(seen.some((line) => line.startsWith('@tidings/client: open on node')), seen.join('\n'));
  } finally {
    console.debug = original;
  }
  const c = client({
    url: gw.url,
    token: 'tok',
    debug: () => {
      throw new Error('bad logger');
    },
  });
  await c.whenOpen(2000);
  assert.equal(c.state, 'open');
});

test('on() with a payload type delivers the same notifications as without', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok' });
  const courses = [];
  c.on('grade.published', (n) => courses.push(n.payload.course));
  const viaOnEvent = [];
  c.onEvent('open', (n) => viaOnEvent.push(n.id));
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  conn.send(notification({ id: 'g1', event: 'grade.published', payload: { course: 'math' } }));
  conn.send(notification({ id: 'o1', event: 'open', payload: {} }));
  await until(() => courses.length === 1 && viaOnEvent.length === 1);
  assert.deepEqual(courses, ['math']);
  assert.deepEqual(viaOnEvent, ['o1']);
});

/** An unsigned JWT-shaped token whose `exp` is `seconds` from now (the SDK reads exp, the fake gateway nothing). */
function jwt(sub, seconds) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}.sig`;
}

test("the gateway's expiring frame makes the client send a fresh token in band, and refreshed is reported", async () => {
  const gw = await gateway();
  const calls = [];
  const c = client({
    url: gw.url,
    token: async (ctx) => {
      calls.push(ctx.reason);
      return `token-${calls.length}`;
    },
  });
  const refreshed = [];
  c.on('refreshed', (event) => refreshed.push(event.expiresAt));
  await c.whenOpen(2000);
  const conn = await gw.connection(0);

  conn.send({ type: 'expiring', in: 60 });
  await until(() => conn.frames.some((f) => f.type === 'refresh'));
  assert.deepEqual(conn.frames.find((f) => f.type === 'refresh'), { type: 'refresh', token: 'token-2' });
  assert.deepEqual(calls, ['initial', 'refresh']);
  conn.send({ type: 'refreshed', expiresAt: '2030-01-01T00:00:00.000Z' });
  await until(() => refreshed.length === 1);
  assert.equal(refreshed[0], '2030-01-01T00:00:00.000Z');
  assert.equal(gw.connections.length, 1, 'no reconnect');
});

test('a JWT is refreshed in band refreshAheadMs before its exp, without waiting for the gateway', async () => {
  const gw = await gateway();
  const reasons = [];
  const c = client({
    url: gw.url,
    refreshAheadMs: 59_700, // the 60 s token is refreshed about 0.3 s after the connection opened
    token: (ctx) => {
      reasons.push(ctx.reason);
      return jwt('alice', 60);
    },
  });
  await c.whenOpen(2000);
  const conn = await gw.connection(0);

  await until(() => conn.frames.some((f) => f.type === 'refresh'), { timeoutMs: 3000 });
  assert.deepEqual(reasons, ['initial', 'refresh']);
});

test('a fixed token is never refreshed in band, and a refused refresh is reported while the session stays open', async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: jwt('bob', 1) });
  const log = record(c);
  await c.whenOpen(2000);
  const conn = await gw.connection(0);

  conn.send({ type: 'expiring', in: 1 });
  conn.send({ type: 'error', code: 'bad_token', message: 'the token is for another user' });
  await until(() => log.some(([name]) => name === 'error'));
  await sleep(200);
  assert.equal(conn.frames.filter((f) => f.type === 'refresh').length, 0, 'nothing to refresh with');
  assert.equal(c.state, 'open');
  assert.equal(log.find(([name]) => name === 'error')[1].code, 'bad_token');
});

test("a read frame (the user marked inbox items read on some device) is a 'read' event with the unread count", async () => {
  const gw = await gateway();
  const c = client({ url: gw.url, token: 'tok' });
  const reads = [];
  const log = record(c);
  c.on('read', (event) => reads.push(event));
  await c.whenOpen(2000);
  const conn = await gw.connection(0);

  conn.send({ type: 'read', ids: ['n1', 'n2'], unread: 3 });
  conn.send({ type: 'read', ids: [], all: true, unread: 0 });

  await until(() => reads.length === 2);
  assert.deepEqual(reads, [{ ids: ['n1', 'n2'], all: false, unread: 3 }, { ids: [], all: true, unread: 0 }]);
  assert.equal(log.filter(([name]) => name === 'error').length, 0, 'not an unknown frame');
});

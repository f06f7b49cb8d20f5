// The `inbox` option: a client that loads the first inbox page on open, then keeps the unread count
// from live notifications, read frames and its own marks. A fake gateway node serves both the
// WebSocket and the inbox API on one port, as a real one does.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, TidingsClient } from '../../dist/index.js';
import { startFakeGateway, until, notification } from '../support/fake-gateway.mjs';

const cleanups = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()();
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An inbox item as `GET /api/v1/inbox` lists it: a notification frame without cursor, plus `read`. */
function item(id, read = false, overrides = {}) {
  const { cursor: _cursor, ...frame } = notification({ id, target: { type: 'user', ids: ['alice'] }, ...overrides });
  return { ...frame, read };
}

/**
 * A fake node whose inbox API answers with `answer(request, n)` (n counts GETs from 1), which returns
 * `[status, body, headers?]` or a promise of it. Records every HTTP request.
 */
async function node(answer) {
  const requests = [];
  let gets = 0;
  const gw = await startFakeGateway({
    http: async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const url = new URL(req.url, 'http://fake');
      const request = {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        auth: req.headers.authorization,
        body: body ? JSON.parse(body) : undefined,
      };
      requests.push(request);
      const [status, value, headers = {}] = await answer(request, req.method === 'GET' ? ++gets : gets);
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(value));
    },
  });
  cleanups.push(() => gw.close());
  return { gw, requests, gets: () => requests.filter((r) => r.method === 'GET') };
}

function client(options) {
  const c = connect({ random: () => 0, ...options });
  cleanups.push(() => c.close());
  return c;
}

/** Records `inbox`, `unread`, `read` and `error` events in order. */
function record(c) {
  const log = [];
  for (const name of ['inbox', 'unread', 'read', 'error']) c.on(name, (event) => log.push([name, event]));
  return log;
}
const events = (log, name) => log.filter(([n]) => n === name).map(([, e]) => e);

/** A gate a handler can wait on: the test opens it when it has done what should happen meanwhile. */
function gate() {
  let open;
  const promise = new Promise((resolve) => {
    open = resolve;
  });
  return { wait: () => promise, open };
}

test('on open the client loads the first inbox page with its session token and emits it with the unread count', async () => {
  const page = { items: [item('n3'), item('n2', true), item('n1')], unread: 2, next: 'older' };
  const { gw, gets } = await node(() => [200, page]);
  const c = client({ url: gw.url, token: async () => 'tok-alice', inbox: { limit: 3 } });
  const log = record(c);
  assert.equal(c.unread, undefined, 'nothing known before the load');

  await until(() => events(log, 'inbox').length === 1);
  const [loaded] = events(log, 'inbox');
  assert.deepEqual(loaded.items.map((i) => [i.id, i.read]), [['n3', false], ['n2', true], ['n1', false]]);
  assert.equal(loaded.unread, 2);
  assert.equal(loaded.next, 'older');
  assert.equal(loaded.reload, false);
  assert.equal(c.unread, 2);
  assert.deepEqual(events(log, 'unread'), [{ unread: 2, previous: undefined, cause: 'inbox' }]);
  assert.deepEqual(gets().map((r) => [r.path, r.query, r.auth]), [['/api/v1/inbox', { limit: '3' }, 'Bearer tok-alice']]);
});

test('a live notification adds one unread unless the inbox listed it or it was delivered before', async () => {
  const { gw } = await node(() => [200, { items: [item('old-1'), item('old-2', true)], unread: 1, next: null }]);
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  const seen = [];
  c.on('notification', (n) => seen.push([n.id, c.unread]));
  await until(() => c.unread === 1);
  const conn = await gw.connection(0);

  conn.send(notification({ id: 'new-1' }));
  conn.send(notification({ id: 'old-1' })); // a replay of an item the inbox listed
  conn.send(notification({ id: 'old-2' })); // read already: stays read
  conn.send(notification({ id: 'new-1' })); // a duplicate delivery
  conn.send(notification({ id: 'new-2' }));
  await until(() => c.stats.received === 5);

  assert.equal(c.unread, 3);
  assert.deepEqual(seen, [['new-1', 2], ['old-1', 2], ['old-2', 2], ['new-2', 3]],
    'listeners see the count with their notification taken in; every new id is still delivered');
  assert.deepEqual(events(log, 'unread').map((e) => [e.cause, e.previous, e.unread]),
    [['inbox', undefined, 1], ['notification', 1, 2], ['notification', 2, 3]]);
});

test("a read frame sets the count to the gateway's, and markRead() sets it to the answer at once", async () => {
  const { gw, requests } = await node((request) =>
    request.method === 'POST' ? [200, { unread: 1 }] : [200, { items: [item('a'), item('b'), item('c')], unread: 3, next: null }]);
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  await until(() => c.unread === 3);
  const conn = await gw.connection(0);

  conn.send({ type: 'read', ids: ['a'], unread: 2 }); // marked on another device
  await until(() => c.unread === 2);
  assert.equal(await c.markRead(['b']), 1);
  assert.equal(c.unread, 1, 'without waiting for the read frame');
  assert.deepEqual(requests.at(-1).body, { ids: ['b'] });
  conn.send({ type: 'read', ids: ['b'], unread: 1 }); // this device's own mark, echoed to every session
  conn.send({ type: 'read', ids: ['c'], all: true, unread: 0 });
  await until(() => c.unread === 0);

  assert.deepEqual(events(log, 'unread').map((e) => [e.cause, e.unread]),
    [['inbox', 3], ['read', 2], ['markRead', 1], ['read', 0]], 'no event when the count stays the same');
  assert.deepEqual(events(log, 'read').map((e) => e.unread), [2, 1, 0]);
});

test('a starting inbox (503) is tried again with backoff, then loaded; the connection is not disturbed', async () => {
  const { gw, gets } = await node((request, n) =>
    n <= 2 ? [503, { error: 'the inbox is not ready; try again' }] : [200, { items: [item('x')], unread: 1, next: null }]);
  const delays = [];
  const c = client({
    url: gw.url,
    token: 'tok',
    inbox: true,
    backoff: { initialDelayMs: 20, maxDelayMs: 40 },
    random: () => 1,
    debug: (line) => {
      const match = /could not load the inbox .*: trying again in (\d+) ms/.exec(line);
      if (match) delays.push(Number(match[1]));
    },
  });
  const log = record(c);
  await until(() => events(log, 'inbox').length === 1);

  assert.equal(gets().length, 3);
  assert.deepEqual(delays, [20, 40], 'the backoff ceiling grows per try');
  assert.equal(c.unread, 1);
  assert.deepEqual(events(log, 'error'), []);
  assert.equal(c.stats.opens, 1);
  assert.equal(c.state, 'open');
});

test("Retry-After is the least delay before the next try", async () => {
  let first;
  const { gw, gets } = await node((request, n) => {
    if (n === 1) {
      first = Date.now();
      return [503, { error: 'the inbox is not ready; try again' }, { 'Retry-After': '1' }];
    }
    return [200, { items: [], unread: 0, next: null }];
  });
  const c = client({ url: gw.url, token: 'tok', inbox: true }); // random 0: the backoff alone would say 0 ms
  await until(() => c.unread === 0, { timeoutMs: 5000 });
  assert.equal(gets().length, 2);
  assert.ok(Date.now() - first >= 950, `waited ${Date.now() - first} ms`);
});

test('the tries are bounded: after `retries` more 503s the client reports inbox_error and stays connected', async () => {
  const { gw, gets } = await node(() => [503, { error: 'the inbox is not ready; try again' }]);
  const c = client({ url: gw.url, token: 'tok', inbox: { retries: 2 }, backoff: { initialDelayMs: 1 } });
  const log = record(c);
  await until(() => events(log, 'error').length === 1);
  await sleep(50);

  assert.equal(gets().length, 3, 'one load and two tries more');
  const [error] = events(log, 'error');
  assert.equal(error.code, 'inbox_error');
  assert.equal(error.source, 'client');
  assert.match(error.message, /not ready.*\(3 tries\)/);
  assert.equal(error.cause.status, 503);
  assert.equal(c.unread, undefined);
  assert.equal(c.state, 'open');
  assert.deepEqual(events(log, 'inbox'), []);
});

test('a refusal (403) is not tried again', async () => {
  const { gw, gets } = await node(() => [403, { error: 'not yours' }]);
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  await until(() => events(log, 'error').length === 1);
  await sleep(50);
  assert.equal(gets().length, 1);
  assert.match(events(log, 'error')[0].message, /could not load the inbox: not yours$/);
});

test('what arrives live while the page loads is listed first and counted once, whether the page has it or not', async () => {
  const hold = gate();
  const { gw } = await node(async () => {
    await hold.wait();
    // The page was read after "listed" was stored and before "unlisted" was.
    return [200, { items: [item('listed'), item('older', true)], unread: 1, next: null }];
  });
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  conn.send(notification({ id: 'listed', cursor: 'c-1' }));
  conn.send(notification({ id: 'unlisted', cursor: 'c-2' }));
  await until(() => c.stats.delivered === 2);
  assert.equal(c.unread, undefined, 'no count before the first page');
  hold.open();

  await until(() => events(log, 'inbox').length === 1);
  const [loaded] = events(log, 'inbox');
  assert.deepEqual(loaded.items.map((i) => [i.id, i.read]), [['unlisted', false], ['listed', false], ['older', true]]);
  assert.equal(loaded.items[0].cursor, undefined, 'listed as an inbox item');
  assert.equal(loaded.unread, 2);
  assert.equal(c.unread, 2);
  conn.send(notification({ id: 'unlisted' })); // delivered again after a resume, say
  conn.send(notification({ id: 'listed' }));
  await sleep(50);
  assert.equal(c.unread, 2);
});

test('a mark made while the page loads is applied to it, and its count wins over the page', async () => {
  const hold = gate();
  const { gw } = await node(async () => {
    await hold.wait();
    // The page was read before the mark: it still says n1 and n2 are unread.
    return [200, { items: [item('n2'), item('n1')], unread: 2, next: null }];
  });
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  conn.send({ type: 'read', ids: ['n1'], unread: 1 });
  conn.send(notification({ id: 'n3' })); // after the mark: unread
  await until(() => c.stats.delivered === 1 && events(log, 'read').length === 1);
  hold.open();

  await until(() => events(log, 'inbox').length === 1);
  const [loaded] = events(log, 'inbox');
  assert.deepEqual(loaded.items.map((i) => [i.id, i.read]), [['n3', false], ['n2', false], ['n1', true]]);
  assert.equal(loaded.unread, 2, "the read frame's 1, plus n3");
  assert.equal(c.unread, 2);
});

test("'all' marked while the page loads reads what came before it, not what came after", async () => {
  const hold = gate();
  const { gw } = await node(async () => {
    await hold.wait();
    return [200, { items: [item('p2'), item('p1')], unread: 2, next: null }];
  });
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  await c.whenOpen(2000);
  const conn = await gw.connection(0);
  conn.send(notification({ id: 'before-all' }));
  conn.send({ type: 'read', ids: ['p2', 'p1', 'before-all'], all: true, unread: 0 });
  conn.send(notification({ id: 'after-all' }));
  await until(() => c.stats.delivered === 2 && events(log, 'read').length === 1);
  hold.open();

  await until(() => events(log, 'inbox').length === 1);
  const [loaded] = events(log, 'inbox');
  assert.deepEqual(loaded.items.map((i) => [i.id, i.read]),
    [['after-all', false], ['before-all', true], ['p2', true], ['p1', true]]);
  assert.equal(loaded.unread, 1);
});

test('after a reconnect the page is loaded again and replaces the count (marks made while away)', async () => {
  const pages = [
    { items: [item('a'), item('b')], unread: 2, next: null },
    { items: [item('c'), item('a', true), item('b', true)], unread: 1, next: null },
  ];
  const { gw, gets } = await node((request, n) => [200, pages[Math.min(n, 2) - 1]]);
  const c = client({ url: gw.url, token: 'tok', inbox: true });
  const log = record(c);
  await until(() => c.unread === 2);
  (await gw.connection(0)).terminate();
  await gw.connection(1);

  await until(() => events(log, 'inbox').length === 2);
  const second = events(log, 'inbox')[1];
  assert.equal(second.reload, true);
  assert.deepEqual(second.items.map((i) => [i.id, i.read]), [['c', false], ['a', true], ['b', true]]);
  assert.equal(c.unread, 1);
  assert.equal(gets().length, 2);
});

test('close() stops a load that is waiting to try again', async () => {
  const { gw, gets } = await node(() => [503, { error: 'the inbox is not ready; try again' }]);
  const c = client({ url: gw.url, token: 'tok', inbox: true, backoff: { initialDelayMs: 200, maxDelayMs: 200 }, random: () => 1 });
  const log = record(c);
  await until(() => gets().length === 1);
  await c.close();
  await sleep(400);
  assert.equal(gets().length, 1);
  assert.deepEqual(events(log, 'error'), []);
});

test('without the option nothing is loaded and there is no count; bad option values are refused', async () => {
  const { gw, requests } = await node(() => [200, { items: [], unread: 0, next: null }]);
  const c = client({ url: gw.url, token: 'tok' });
  await c.whenOpen(2000);
  (await gw.connection(0)).send(notification({ id: 'n1' }));
  await until(() => c.stats.delivered === 1);
  await sleep(50);
  assert.equal(c.unread, undefined);
  assert.deepEqual(requests, []);

  assert.throws(() => new TidingsClient({ url: gw.url, token: 't', inbox: { limit: 0 } }), /inbox\.limit/);
  assert.throws(() => new TidingsClient({ url: gw.url, token: 't', inbox: { limit: 201 } }), /inbox\.limit/);
  assert.throws(() => new TidingsClient({ url: gw.url, token: 't', inbox: { retries: -1 } }), /inbox\.retries/);
});

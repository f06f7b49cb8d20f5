// The event-stream transport against a real HTTP server speaking the gateway's /sse protocol, read
// by a real EventSource implementation (the `eventsource` package; browsers have their own).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { EventSource } from 'eventsource';
import { connect, sseUrl } from '../../dist/index.js';
import { until } from '../support/fake-gateway.mjs';

const cleanups = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()();
});

/** A node whose /ws refuses every upgrade (as a proxy that blocks WebSockets would) and whose /sse streams. */
async function sseNode() {
  const streams = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname !== '/sse') {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const stream = {
      token: url.searchParams.get('access_token'),
      cursor: url.searchParams.get('cursor'),
      event(frame, { id, type } = {}) {
        res.write(`${type ? `event: ${type}\n` : ''}${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(frame)}\n\n`);
      },
      close(code, reason) {
        this.event({ code, reason }, { type: 'close' });
        res.end();
      },
    };
    streams.push(stream);
    stream.event({ type: 'welcome', node: 'gw-S', cursor: 'c-0' }, { id: 'c-0' });
  });
  server.on('upgrade', (req, socket) => {
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return { url: `ws://127.0.0.1:${server.address().port}/ws`, streams };
}

function client(options) {
  const c = connect({ random: () => 0, EventSource, ...options });
  cleanups.push(() => c.close());
  return c;
}

test('the event-stream URL sits beside the WebSocket one on the same node', () => {
  assert.equal(sseUrl('ws://127.0.0.1:8081/ws?access_token=t'), 'http://127.0.0.1:8081/sse?access_token=t');
  assert.equal(sseUrl('wss://push.example.com/ws'), 'https://push.example.com/sse');
  assert.equal(sseUrl('wss://push.example.com/tidings/ws'), 'https://push.example.com/tidings/sse');
});

test('over sse the client opens, delivers, answers its own pings, and resumes from the last event id after a close', async () => {
  const node = await sseNode();
  const reasons = [];
  const c = client({
    url: node.url,
    transport: 'sse',
    pingIntervalMs: 20,
    pongTimeoutMs: 50,
    token: (ctx) => {
      reasons.push(ctx.reason);
      return `token-${reasons.length}`;
    },
  });
  const ids = [];
  const closes = [];
  c.on('notification', (n) => ids.push(n.id));
  c.on('closed', (e) => closes.push(e.code));
  const opened = await c.whenOpen(2000);
  assert.equal(opened.transport, 'sse');
  assert.equal(node.streams[0].token, 'token-1');

  node.streams[0].event({ type: 'notification', id: 'n1', event: 'e', payload: {}, target: { type: 'user', ids: ['a'] },
    publishedAt: '2026-12-04T00:00:00Z', cursor: 'c-1' }, { id: 'c-1' });
  await until(() => ids.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 150)); // several pings: none may drop the stream
  assert.equal(c.state, 'open');

  node.streams[0].close(1008, 'token expired');
  await until(() => node.streams.length === 2);
  assert.deepEqual(closes, [1008]);
  assert.equal(node.streams[1].cursor, 'c-1', 'resumes from the last event');
  assert.equal(node.streams[1].token, 'token-2');
  assert.deepEqual(reasons, ['initial', 'rejected']);
});

test('auto moves to the event stream after two WebSocket attempts that never opened, and says so', async () => {
  const node = await sseNode();
  const c = client({ url: node.url, token: 'tok' });
  const opened = await c.whenOpen(5000);

  assert.equal(opened.transport, 'sse');
  assert.equal(c.transport, 'sse');
  assert.equal(node.streams.length, 1);
});

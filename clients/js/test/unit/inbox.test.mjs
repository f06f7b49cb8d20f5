// The SDK's inbox calls against a real HTTP server speaking the gateway's /api/v1/inbox.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { TidingsClient, InboxError, httpBase } from '../../dist/index.js';

const cleanups = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()();
});

/** A gateway's inbox endpoints, recording what they were asked; `ready` false answers 503 as a starting inbox does. */
async function inboxNode({ ready = true } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
    const json = (status, value, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(value));
    };
    if (!ready) return json(503, { error: 'the inbox is not ready; try again' }, { 'Retry-After': '1' });
    if (req.method === 'GET' && req.url.startsWith('/api/v1/inbox')) {
      return json(200, {
        items: [{ type: 'notification', id: 'n2', event: 'grade.published', payload: { grade: 'A' },
          target: { type: 'user', ids: ['alice'] }, publishedAt: '2026-12-04T10:00:00Z', read: false }],
        unread: 1, next: 'older',
      });
    }
    if (req.method === 'POST' && req.url === '/api/v1/inbox/read') return json(200, { unread: 0 });
    return json(404, { error: 'no such endpoint' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `ws://127.0.0.1:${server.address().port}/ws`, requests };
}

test('the HTTP base of a gateway sits beside its WebSocket URL', () => {
  assert.equal(httpBase('ws://127.0.0.1:8081/ws?access_token=t'), 'http://127.0.0.1:8081');
  assert.equal(httpBase('wss://push.example.com/tidings/ws'), 'https://push.example.com/tidings');
});

test('a new device loads a page of its inbox with its token, then marks it read', async () => {
  const node = await inboxNode();
  const client = new TidingsClient({ url: node.url, token: async () => 'tok-alice' });

  const page = await client.inbox({ limit: 20, before: 'cursor-1' });
  assert.equal(page.unread, 1);
  assert.equal(page.next, 'older');
  assert.deepEqual(page.items.map((i) => [i.id, i.read]), [['n2', false]]);
  const unread = await client.markRead(['n2']);

  assert.equal(unread, 0);
  assert.deepEqual(node.requests.map((r) => [r.method, r.url, r.auth]), [
    ['GET', '/api/v1/inbox?limit=20&before=cursor-1', 'Bearer tok-alice'],
    ['POST', '/api/v1/inbox/read', 'Bearer tok-alice'],
  ]);
  assert.deepEqual(JSON.parse(node.requests[1].body), { ids: ['n2'] });
  assert.deepEqual(JSON.parse((await client.markRead('all'), node.requests[2].body)), { all: true });
});

test('an inbox that is not ready yet is an InboxError with the status and Retry-After', async () => {
  const node = await inboxNode({ ready: false });
  const client = new TidingsClient({ url: node.url, token: 'tok' });

  await assert.rejects(client.inbox(), (err) =>
    err instanceof InboxError && err.status === 503 && err.retryAfterSeconds === 1 && /not ready/.test(err.message));
});

// An in-process stand-in for a Tidings gateway node, for unit tests: speaks the protocol's
// frames over a real WebSocket (the `ws` package's server) on 127.0.0.1, refuses handshakes
// with HTTP 401 like the real one, and lets a test script what each connection sees.
import http from 'node:http';
import { EventEmitter, once } from 'node:events';
import { WebSocketServer } from 'ws';

/**
 * @param {object} [options]
 * @param {string} [options.node] node id sent in `welcome`
 * @param {(token: string|null) => boolean} [options.acceptToken] false answers the handshake with 401
 * @param {boolean|((conn: object) => boolean)} [options.welcome] send `welcome` on connect (default true)
 * @param {string} [options.welcomeCursor] cursor in `welcome`
 * @param {boolean} [options.autoPong] answer `ping` with `pong` (default true)
 * @param {(conn: object) => void} [options.onConnection] called for each connection after `welcome`
 * @param {(req: http.IncomingMessage, res: http.ServerResponse) => void} [options.http] answers plain
 *   HTTP requests on the node's port (e.g. the inbox API); without it they get 404
 */
export async function startFakeGateway(options = {}) {
  const node = options.node ?? 'fake-1';
  const acceptToken = options.acceptToken ?? ((token) => Boolean(token));
  const events = new EventEmitter();
  const connections = [];
  const server = http.createServer((req, res) => {
    if (options.http) options.http(req, res);
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://fake');
    const token = url.searchParams.get('access_token');
    if (url.pathname !== '/ws' || !acceptToken(token)) {
      const status = url.pathname !== '/ws' ? '404 Not Found' : '401 Unauthorized';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      events.emit('refused', { token, url });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = {
        ws,
        node,
        index: connections.length,
        token,
        cursor: url.searchParams.get('cursor'),
        frames: [],
        closed: null,
        send(frame) {
          ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        },
        close(code, reason) {
          ws.close(code, reason);
        },
        terminate() {
          ws.terminate();
        },
      };
      connections.push(conn);
      ws.on('message', (data) => {
        const text = data.toString();
        let frame;
        try {
          frame = JSON.parse(text);
        } catch {
          frame = { raw: text };
        }
        conn.frames.push(frame);
        events.emit('frame', conn, frame);
        if (frame.type === 'ping' && (options.autoPong ?? true)) {
          conn.send({ type: 'pong' });
        }
      });
      ws.on('close', (code, reason) => {
        conn.closed = { code, reason: reason.toString() };
        events.emit('close', conn);
      });
      const welcome = typeof options.welcome === 'function' ? options.welcome(conn) : options.welcome ?? true;
      if (welcome) {
        conn.send({ type: 'welcome', node, ...(options.welcomeCursor ? { cursor: options.welcomeCursor } : {}) });
      }
      events.emit('connection', conn);
      options.onConnection?.(conn);
    });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();

  return {
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    node,
    connections,
    events,
    /** Resolves with connection number `index` (0-based) once it exists. */
    connection(index, timeoutMs = 3000) {
      return until(() => connections[index], { timeoutMs, what: `connection #${index} to ${node}` });
    },
    async close() {
      for (const conn of connections) conn.ws.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL where nothing listens (a node that is down). */
export async function deadUrl() {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(() => resolve()));
  return `ws://127.0.0.1:${port}/ws`;
}

/** Polls `fn` until it returns a truthy value; rejects after `timeoutMs`. */
export async function until(fn, { timeoutMs = 3000, intervalMs = 5, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

let sequence = 0;
/** A notification frame as the gateway sends it. */
export function notification(overrides = {}) {
  sequence++;
  return {
    type: 'notification',
    id: `n-${sequence}`,
    event: 'grade.published',
    payload: { seq: sequence },
    target: { type: 'group', ids: ['Class:201901'] },
    publishedAt: new Date().toISOString(),
    cursor: `c-${sequence}`,
    ...overrides,
  };
}

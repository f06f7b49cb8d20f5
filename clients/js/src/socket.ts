/**
 * The WebSocket implementation: the one given in the options, else the global one (browsers,
 * Deno, Bun, Node >= 22), else the `ws` package (Node 20), loaded only when needed so that
 * browsers never fetch it.
 */

/** What the client needs of a WebSocket: the common ground of the browser's and the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string; readonly wasClean?: boolean }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the connection at once, without a closing handshake. */
  terminate?(): void;
}

/** A WebSocket class: the browser's `WebSocket`, or `ws`'s `WebSocket` (`import WebSocket from 'ws'`). */
export type WebSocketConstructor = new (url: string) => object;

export const OPEN = 1;

let cached: Promise<WebSocketConstructor> | undefined;

export function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) {
    return Promise.resolve(given);
  }
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === 'function') {
    return Promise.resolve(global);
  }
  cached ??= loadWs().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function loadWs(): Promise<WebSocketConstructor> {
  // A variable specifier keeps bundlers and TypeScript from resolving `ws` for browser builds.
  const name = 'ws';
  let mod: { default?: unknown; WebSocket?: unknown };
  try {
    mod = (await import(name)) as { default?: unknown; WebSocket?: unknown };
  } catch (err) {
    throw new Error(
      'No WebSocket implementation: this runtime has no global WebSocket and the `ws` package is not installed ' +
        '(npm install ws), nor was one passed as the `WebSocket` option.',
      { cause: err },
    );
  }
  const ctor = mod.WebSocket ?? mod.default;
  if (typeof ctor !== 'function') {
    throw new Error('the `ws` package does not export a WebSocket class');
  }
  return ctor as WebSocketConstructor;
}

import type { WebSocketLike } from './socket.js';

/** What the client needs of an EventSource: the common ground of the browser's and the `eventsource` package's. */
export interface EventSourceLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: { readonly data: string }) => void): void;
  close(): void;
}

/** An EventSource class: the browser's, or e.g. the `eventsource` package's. */
export type EventSourceConstructor = new (url: string) => object;

/** The global EventSource class, where the runtime has one (browsers, Deno, Bun). */
export function globalEventSource(): EventSourceConstructor | undefined {
  const global = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  return typeof global === 'function' ? global : undefined;
}

/**
 * The gateway's Server-Sent Events stream seen as a WebSocket, so the client drives it the same way:
 * `GET /sse` beside `/ws` on the same node, with the same `access_token` and `cursor` parameters. The
 * stream carries the server's frames only: a `ping` is answered here (the node keeps the stream up
 * with comments), and the frames a client would send (`resume`, `refresh`) are not sent, as the
 * client reconnects with its cursor and a fresh token instead. The node's `close` event, or any
 * error (a refused handshake shows as one), closes it; it never reconnects by itself, so the client's
 * own reconnect rules apply.
 */
export class SseSocket implements WebSocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: { readonly code: number; readonly reason: string; readonly wasClean?: boolean }) => void) | null =
    null;
  #readyState = 0;
  readonly #source: EventSourceLike;

  constructor(wsUrl: string, EventSourceClass: EventSourceConstructor) {
    this.#source = new EventSourceClass(sseUrl(wsUrl)) as EventSourceLike;
    this.#source.onopen = (event) => {
      if (this.#readyState !== 0) return;
      this.#readyState = 1;
      this.onopen?.(event);
    };
    this.#source.onmessage = (event) => {
      if (this.#readyState === 1) this.onmessage?.({ data: event.data });
    };
    this.#source.addEventListener('close', (event) => {
      let code = 1006;
      let reason = '';
      try {
        const data = JSON.parse(event.data) as { code?: unknown; reason?: unknown };
        if (typeof data.code === 'number') code = data.code;
        if (typeof data.reason === 'string') reason = data.reason;
      } catch {
        // a close event without its data: a dropped connection
      }
      this.#finish(code, reason, true);
    });
    this.#source.onerror = (event) => {
      if (this.#readyState === 3) return;
      this.onerror?.(event);
      this.#finish(1006, '', false);
    };
  }

  get readyState(): number {
    return this.#readyState;
  }

  send(data: string): void {
    if (this.#readyState !== 1) throw new Error('the event stream is not open');
    if (data.includes('"ping"')) {
      // The stream itself proves the connection alive: answer the client's keepalive here.
      queueMicrotask(() => {
        if (this.#readyState === 1) this.onmessage?.({ data: '{"type":"pong"}' });
      });
    }
  }

  close(code = 1000, reason = ''): void {
    this.#finish(code, reason, true);
  }

  #finish(code: number, reason: string, wasClean: boolean): void {
    if (this.#readyState === 3) return;
    this.#readyState = 3;
    this.#source.close();
    queueMicrotask(() => this.onclose?.({ code, reason, wasClean }));
  }
}

/** The node's `/sse` URL beside its `/ws` one: `ws:` → `http:`, `wss:` → `https:`, path `…/ws` → `…/sse`. */
export function sseUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  url.pathname = /\/ws\/?$/.test(url.pathname) ? url.pathname.replace(/\/ws\/?$/, '/sse') : `${url.pathname.replace(/\/$/, '')}/sse`;
  return url.toString();
}

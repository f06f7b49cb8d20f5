// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
/** The global EventSource class, where the runtime has one (browsers, Deno, Bun). */
export function globalEventSource() {
    const global = globalThis.EventSource;
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
export class SseSocket {
    onopen = null;
    onmessage = null;
    onerror = null;
    onclose = null;
    #readyState = 0;
    #source;
    constructor(wsUrl, EventSourceClass) {
        this.#source = new EventSourceClass(sseUrl(wsUrl));
        this.#source.onopen = (event) => {
            if (this.#readyState !== 0)
                return;
            this.#readyState = 1;
            this.onopen?.(event);
        };
        this.#source.onmessage = (event) => {
            if (this.#readyState === 1)
                this.onmessage?.({ data: event.data });
        };
        this.#source.addEventListener('close', (event) => {
            let code = 1006;
            let reason = '';
            try {
                const data = JSON.parse(event.data);
                if (typeof data.code === 'number')
                    code = data.code;
                if (typeof data.reason === 'string')
                    reason = data.reason;
            }
            catch {
                // a close event without its data: a dropped connection
            }
            this.#finish(code, reason, true);
        });
        this.#source.onerror = (event) => {
            if (this.#readyState === 3)
                return;
            this.onerror?.(event);
            this.#finish(1006, '', false);
        };
    }
    get readyState() {
        return this.#readyState;
    }
    send(data) {
        if (this.#readyState !== 1)
            throw new Error('the event stream is not open');
        if (data.includes('"ping"')) {
            // The stream itself proves the connection alive: answer the client's keepalive here.
            queueMicrotask(() => {
                if (this.#readyState === 1)
                    this.onmessage?.({ data: '{"type":"pong"}' });
            });
        }
    }
    close(code = 1000, reason = '') {
        this.#finish(code, reason, true);
    }
    #finish(code, reason, wasClean) {
        if (this.#readyState === 3)
            return;
        this.#readyState = 3;
        this.#source.close();
        queueMicrotask(() => this.onclose?.({ code, reason, wasClean }));
    }
}
/** The node's `/sse` URL beside its `/ws` one: `ws:` → `http:`, `wss:` → `https:`, path `…/ws` → `…/sse`. */
export function sseUrl(wsUrl) {
    const url = new URL(wsUrl);
    url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
    url.pathname = /\/ws\/?$/.test(url.pathname) ? url.pathname.replace(/\/ws\/?$/, '/sse') : `${url.pathname.replace(/\/$/, '')}/sse`;
    return url.toString();
}

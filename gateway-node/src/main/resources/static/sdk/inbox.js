// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
/** Why an inbox request failed: the HTTP status (503 while the inbox starts or rebalances) and the gateway's message. */
export class InboxError extends Error {
    status;
    retryAfterSeconds;
    constructor(status, message, retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.name = 'InboxError';
    }
}
/** The gateway's HTTP base beside its WebSocket URL: `ws:` → `http:`, `wss:` → `https:`, without the `/ws` path. */
export function httpBase(wsUrl) {
    const url = new URL(wsUrl);
    url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
    url.pathname = url.pathname.replace(/\/ws\/?$/, '');
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
}
/** Calls the inbox HTTP API of one gateway with one token. */
export async function inboxRequest(base, token, path, init) {
    const response = await fetch(`${base}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(init?.headers ?? {}) },
    });
    const body = await response.json().catch(() => undefined);
    if (!response.ok) {
        const message = typeof body === 'object' && body !== null && typeof body.error === 'string'
            ? body.error
            : `HTTP ${response.status}`;
        const retryAfter = Number(response.headers.get('Retry-After'));
        throw new InboxError(response.status, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    return body;
}

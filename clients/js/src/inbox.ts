import type { Notification } from './protocol.js';

/** One inbox item: the notification as the live path sends it (without a cursor), and whether it was read. */
export type InboxItem<P extends object = Record<string, unknown>> = Notification<P> & { readonly read: boolean };

/** One page of a user's inbox, newest first. */
export interface InboxPage<P extends object = Record<string, unknown>> {
  readonly items: readonly InboxItem<P>[];
  /** Unread items over the whole inbox (what a badge shows). */
  readonly unread: number;
  /** Pass as `before` for the next, older page; `null` on the last one. */
  readonly next: string | null;
}

/** Why an inbox request failed: the HTTP status (503 while the inbox starts or rebalances) and the gateway's message. */
export class InboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'InboxError';
  }
}

/** The gateway's HTTP base beside its WebSocket URL: `ws:` → `http:`, `wss:` → `https:`, without the `/ws` path. */
export function httpBase(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  url.pathname = url.pathname.replace(/\/ws\/?$/, '');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/$/, '');
}

/** Calls the inbox HTTP API of one gateway with one token. */
export async function inboxRequest<T>(base: string, token: string, path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(init?.headers ?? {}) },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
        ? (body as { error: string }).error
        : `HTTP ${response.status}`;
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new InboxError(response.status, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return body as T;
}

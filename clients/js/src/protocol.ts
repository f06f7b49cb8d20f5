/**
 * The Tidings WebSocket protocol (gateway path `/ws`, JSON text frames), as the gateway sends it.
 * The reference is the repository's docs/protocol.md, "WebSocket".
 */

/** Who a notification is addressed to. `ids` is absent for a broadcast. */
export interface Target {
  readonly type: 'broadcast' | 'user' | 'group';
  readonly ids?: readonly string[];
}

/** A notification as delivered to a client. */
export interface Notification<P extends object = Record<string, unknown>> {
  readonly type: 'notification';
  /** Stable id: the same notification always has the same id (clients de-duplicate by it). */
  readonly id: string;
  /** The event name, e.g. `grade.published`. */
  readonly event: string;
  readonly payload: P;
  readonly target: Target;
  /** ISO-8601 instant. */
  readonly publishedAt: string;
  /** Opaque resume cursor just past this notification. */
  readonly cursor?: string;
  /** True when an operator re-published this notification (a replay of an earlier one). */
  readonly replay?: boolean;
}

export interface WelcomeFrame {
  readonly type: 'welcome';
  readonly node: string;
  readonly cursor?: string;
}

export interface ResumedFrame {
  readonly type: 'resumed';
  readonly recovered: boolean;
  readonly replayed: number;
  readonly cursor?: string;
}

export interface PongFrame {
  readonly type: 'pong';
}

export interface ErrorFrame {
  readonly type: 'error';
  readonly code: string;
  readonly message: string;
}

/** The session's token ends in `in` seconds: send a fresh one in a `refresh` frame to go on. */
export interface ExpiringFrame {
  readonly type: 'expiring';
  readonly in: number;
}

/** A `refresh` was accepted: the session now ends at `expiresAt` (ISO-8601) unless refreshed again. */
export interface RefreshedFrame {
  readonly type: 'refreshed';
  readonly expiresAt: string;
}

/** The user marked inbox items read on some device: `ids` (or `all` up to now), and `unread` is what is left. */
export interface ReadFrame {
  readonly type: 'read';
  readonly ids: readonly string[];
  readonly unread: number;
  readonly all?: boolean;
}

export type ServerFrame =
  | ReadFrame
  | WelcomeFrame
  | Notification
  | ResumedFrame
  | PongFrame
  | ExpiringFrame
  | RefreshedFrame
  | ErrorFrame;

/** Close codes of the protocol, plus the ones this client uses for connections it gives up on itself. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** No close frame: the connection dropped, or the handshake failed (e.g. HTTP 401 in a browser). */
  ABNORMAL: 1006,
  /** Bad or expired token (also: too many sessions for this user): refresh the token, reconnect. */
  POLICY_VIOLATION: 1008,
  /** A client frame was too large. */
  MESSAGE_TOO_BIG: 1009,
  /** The node is overloaded or shutting down: reconnect elsewhere, with jitter. */
  TRY_AGAIN_LATER: 1013,
  /** The client did not read fast enough to keep up. */
  TOO_SLOW: 4408,
  /** Client side: no welcome within the connect timeout. */
  CONNECT_TIMEOUT: 4000,
  /** Client side: no answer to a ping within the pong timeout. */
  PING_TIMEOUT: 4001,
  /** Client side: the browser went offline (its `offline` event); the client reconnects when it is back online. */
  OFFLINE: 4002,
} as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and checks one server frame; `null` when the text is not JSON or not a frame this
 * client understands (unknown types are ignored, so the server can add frames later).
 */
export function parseServerFrame(text: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || typeof value.type !== 'string') {
    return null;
  }
  const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';
  switch (value.type) {
    case 'welcome':
      return typeof value.node === 'string' && optionalString(value.cursor) ? (value as unknown as WelcomeFrame) : null;
    case 'notification': {
      const target = value.target;
      const ok =
        typeof value.id === 'string' &&
        value.id.length > 0 &&
        typeof value.event === 'string' &&
        isObject(value.payload) &&
        isObject(target) &&
        typeof target.type === 'string' &&
        (target.ids === undefined || Array.isArray(target.ids)) &&
        typeof value.publishedAt === 'string' &&
        optionalString(value.cursor);
      return ok ? (value as unknown as Notification) : null;
    }
    case 'resumed':
      return typeof value.recovered === 'boolean' && typeof value.replayed === 'number' && optionalString(value.cursor)
        ? (value as unknown as ResumedFrame)
        : null;
    case 'pong':
      return { type: 'pong' };
    case 'expiring':
      return typeof value.in === 'number' ? { type: 'expiring', in: value.in } : null;
    case 'read':
      return Array.isArray(value.ids) && value.ids.every((id) => typeof id === 'string') && typeof value.unread === 'number'
        ? { type: 'read', ids: value.ids as string[], unread: value.unread, ...(value.all === true ? { all: true } : {}) }
        : null;
    case 'refreshed':
      return typeof value.expiresAt === 'string' ? { type: 'refreshed', expiresAt: value.expiresAt } : null;
    case 'error':
      return {
        type: 'error',
        code: typeof value.code === 'string' ? value.code : 'unknown',
        message: typeof value.message === 'string' ? value.message : '',
      };
    default:
      return null;
  }
}

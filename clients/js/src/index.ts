export {
  connect,
  TidingsClient,
  CLIENT_EVENTS,
  type ConnectOptions,
  type ConnectionState,
  type TokenProvider,
  type TokenContext,
  type TokenReason,
  type ClientEvents,
  type ClientError,
  type ClientStats,
  type ConnectingEvent,
  type OpenEvent,
  type ResumedEvent,
  type RefreshedEvent,
  type ReadEvent,
  type InboxEvent,
  type InboxOptions,
  type UnreadEvent,
  type ClosedEvent,
  type ReconnectingEvent,
  type StateEvent,
  type DeliveryInfo,
  type NotificationListener,
  type NetworkEvents,
  type DebugLogger,
  type Transport,
} from './client.js';
export { SseSocket, sseUrl, type EventSourceConstructor, type EventSourceLike } from './sse.js';
export { InboxError, httpBase, type InboxItem, type InboxPage } from './inbox.js';
export {
  CloseCode,
  parseServerFrame,
  type Notification,
  type Target,
  type ServerFrame,
  type WelcomeFrame,
  type ResumedFrame,
  type PongFrame,
  type ExpiringFrame,
  type RefreshedFrame,
  type ReadFrame,
  type ErrorFrame,
} from './protocol.js';
export { backoffCeiling, fullJitterDelay, backoffOptions, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { RecentIds } from './dedupe.js';
export type { WebSocketConstructor, WebSocketLike } from './socket.js';

// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
export { connect, TidingsClient, CLIENT_EVENTS, } from './client.js';
export { SseSocket, sseUrl } from './sse.js';
export { InboxError, httpBase } from './inbox.js';
export { CloseCode, parseServerFrame, } from './protocol.js';
export { backoffCeiling, fullJitterDelay, backoffOptions, DEFAULT_BACKOFF } from './backoff.js';
export { RecentIds } from './dedupe.js';

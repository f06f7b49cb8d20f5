// Compile-only check of the public types (npm run typecheck): how an application uses the SDK.
import { connect, CloseCode, type Notification, type OpenEvent, type TokenContext } from '@tidings/client';

interface Grade {
  course: string;
  grade: string;
}

const client = connect({
  url: ['ws://127.0.0.1:8081/ws', 'ws://127.0.0.1:8082/ws'],
  token: async (ctx: TokenContext) => (ctx.reason === 'rejected' ? 'fresh' : 'cached'),
  backoff: { maxDelayMs: 10_000 },
});

client.on('open', (e: OpenEvent) => e.node.toUpperCase());
client.on('resumed', (e) => (e.recovered ? 'ok' : 'refetch'));
client.on('closed', (e) => e.code === CloseCode.TRY_AGAIN_LATER && e.willReconnect);
client.on('reconnecting', (e) => e.delayMs + e.attempt);
client.on('state', (e) => `${e.previous} -> ${e.state}`);
client.on('error', (e) => `${e.source}: ${e.code}`);
client.on('notification', (n, info) => `${n.id} ${n.event} via ${info.node ?? '?'}`);
client.on('grade.published', (n: Notification) => {
  const payload = n.payload as unknown as Grade;
  return payload.course;
});
const off: () => void = client.onEvent('open', (n) => n.target.type);
off();
// @ts-expect-error: a client event's listener gets that event's payload, not a notification
client.on('open', (n: Notification) => n.id);
// @ts-expect-error: the token must be a string or a function
connect({ url: 'ws://x/ws', token: 42 });
void client.whenOpen(1000).then(() => client.close());

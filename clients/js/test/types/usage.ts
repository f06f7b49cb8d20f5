// Compile-only check of the public types (npm run typecheck): how an application uses the SDK.
import { connect, CloseCode, type NetworkEvents, type Notification, type OpenEvent, type TokenContext } from '@tidings/client';

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
// The caller states the payload type: explicitly, or by annotating the listener.
client.on<Grade>('grade.published', (n, info) => `${n.payload.course.toUpperCase()} ${n.payload.grade} via ${info.url}`);
client.on('grade.published', (n: Notification<Grade>) => n.payload.grade.length);
client.onEvent<Grade>('open', (n) => n.payload.course);
// @ts-expect-error: Grade has no `score`
client.on<Grade>('grade.published', (n) => n.payload.score);
// @ts-expect-error: a string is not an object payload type
client.on<string>('grade.published', () => undefined);
// @ts-expect-error: a client event's name with a notification listener, payload type inferred
client.on('open', (n: Notification<Grade>) => n.payload.course);
const off: () => void = client.onEvent('open', (n) => n.target.type);
off();
// @ts-expect-error: a client event's listener gets that event's payload, not a notification
client.on('open', (n: Notification) => n.id);
// @ts-expect-error: the token must be a string or a function
connect({ url: 'ws://x/ws', token: 42 });
connect({ url: 'ws://x/ws', token: 't', debug: true, network: false });
connect({ url: 'ws://x/ws', token: 't', debug: (line: string) => line.length, network: globalThis as unknown as NetworkEvents });
// @ts-expect-error: debug is a flag or a function of one line
connect({ url: 'ws://x/ws', token: 't', debug: 'verbose' });
// The inbox option: the first page on open, then an unread count.
const withInbox = connect({ url: 'ws://x/ws', token: 't', inbox: { limit: 20, retries: 3 } });
withInbox.on('inbox', (e) => e.items.filter((item) => !item.read).length + e.unread + (e.next ?? '').length + (e.reload ? 1 : 0));
withInbox.on('unread', (e) => `${e.cause}: ${e.previous ?? '?'} -> ${e.unread}`);
const unread: number | undefined = withInbox.unread;
void unread;
connect({ url: 'ws://x/ws', token: 't', inbox: true });
// @ts-expect-error: the limit is a number
connect({ url: 'ws://x/ws', token: 't', inbox: { limit: '20' } });
const offline: number = CloseCode.OFFLINE;
void offline;
void client.whenOpen(1000).then(() => client.close());

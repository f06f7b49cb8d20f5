// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
import { backoffOptions, fullJitterDelay } from './backoff.js';
import { RecentIds } from './dedupe.js';
import { Emitter } from './emitter.js';
import { CloseCode, parseServerFrame } from './protocol.js';
import { OPEN, resolveWebSocket } from './socket.js';
import { globalEventSource, SseSocket } from './sse.js';
import { httpBase, InboxError, inboxRequest } from './inbox.js';
/** Names that `on()` treats as client events; any other name is a notification's `event`. */
export const CLIENT_EVENTS = new Set([
    'notification',
    'connecting',
    'open',
    'resumed',
    'refreshed',
    'read',
    'inbox',
    'unread',
    'closed',
    'reconnecting',
    'error',
    'state',
]);
/** The longest delay timers take (about 24.8 days); a refresh due later is planned again then. */
const MAX_TIMER_MS = 2_147_483_647;
/** Closes after which the next attempt stays on the same URL: they say nothing about the node's health. */
const SAME_NODE_CODES = new Set([
    CloseCode.POLICY_VIOLATION,
    CloseCode.MESSAGE_TOO_BIG,
    CloseCode.TOO_SLOW,
    CloseCode.OFFLINE,
]);
/** Most live notifications one inbox load remembers (beyond, the oldest are counted but not listed). */
const MAX_LIVE_DURING_LOAD = 1_000;
/**
 * A connection to a Tidings gateway that stays up: it reconnects with backoff and jitter,
 * moves to another node when its node goes away, resumes from the last cursor so nothing is
 * missed, drops duplicates by id, refreshes its token when refused, and pings to stay alive.
 *
 * Create it with {@link connect}.
 */
export class TidingsClient {
    #settings;
    #events;
    #byEvent;
    #seen;
    #state = 'idle';
    #urlIndex;
    #socket;
    #generation = 0;
    #cursor;
    #node;
    #connectedWithCursor = false;
    #resuming = false;
    #openedAt;
    #httpStatus;
    #failures = 0;
    #tokenReason = 'initial';
    #stopping = false;
    #closeCode = CloseCode.NORMAL;
    #closeReason = '';
    #reconnectTimer;
    #connectTimer;
    #pingTimer;
    #pongTimer;
    #closeFallbackTimer;
    #refreshTimer;
    /** The open session's token: the handshake's, or the last one refreshed in band. */
    #token;
    #refreshing = false;
    /** The transport of the current (or next) connection. */
    #transport = 'websocket';
    /** Connection attempts in a row that never opened: in `auto`, two of them switch the transport. */
    #neverOpened = 0;
    #networkListening = false;
    #stats = { received: 0, delivered: 0, duplicates: 0, opens: 0, attempts: 0 };
    /** Unread inbox items (the `inbox` option); `undefined` until the first load. */
    #unread;
    /** Ids the unread count has taken in: inbox items loaded and live notifications counted. */
    #counted;
    #inboxLoad;
    /** Bumped by each load and by close(): a load that is no longer the latest drops its result. */
    #inboxGeneration = 0;
    #inboxLoads = 0;
    #inboxTimer;
    #closed;
    #resolveClosed;
    constructor(options) {
        const urls = normalizeUrls(options.url);
        const token = options.token;
        if (typeof token !== 'function' && (typeof token !== 'string' || token.length === 0)) {
            throw new TypeError('token must be a non-empty string or a function returning one');
        }
        const random = options.random ?? Math.random;
        this.#settings = {
            urls,
            token,
            reconnect: options.reconnect ?? true,
            backoff: backoffOptions(options.backoff),
            maxReconnectAttempts: positive('maxReconnectAttempts', options.maxReconnectAttempts, Infinity, true),
            stableAfterMs: positive('stableAfterMs', options.stableAfterMs, 5_000, true),
            pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs, 25_000),
            pongTimeoutMs: positive('pongTimeoutMs', options.pongTimeoutMs, 10_000),
            connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, 10_000),
            refreshAheadMs: positive('refreshAheadMs', options.refreshAheadMs, 90_000, true),
            WebSocket: options.WebSocket,
            transport: transportOption(options.transport),
            EventSource: options.EventSource,
            random,
            network: networkEvents(options.network),
            debug: debugLogger(options.debug),
            inbox: inboxOptions(options.inbox),
        };
        this.#transport = this.#settings.transport === 'sse' ? 'sse' : 'websocket';
        this.#seen = new RecentIds(options.dedupeCapacity ?? 10_000);
        this.#counted = new RecentIds(options.dedupeCapacity ?? 10_000);
        this.#cursor = options.cursor || undefined;
        this.#urlIndex = options.shuffleUrls ? Math.min(urls.length - 1, Math.floor(random() * urls.length)) : 0;
        this.#events = new Emitter((error, event) => this.#listenerFailed(error, String(event)));
        this.#byEvent = new Emitter((error, event) => this.#listenerFailed(error, String(event)));
        this.#closed = new Promise((resolve) => {
            this.#resolveClosed = resolve;
        });
    }
    /** The connection's state. */
    get state() {
        return this.#state;
    }
    /** The resume cursor just past the last notification received (or the node's position at connect). */
    get cursor() {
        return this.#cursor;
    }
    /**
     * Unread items in the user's inbox, kept current with the `inbox` option (see {@link InboxOptions});
     * `undefined` without it, and until the first load.
     */
    get unread() {
        return this.#unread;
    }
    /**
     * One page of the user's inbox (history and read state, on every device), newest first, from the
     * gateway of the current URL: what a device that was offline, or is new, loads before going live.
     * `before` is the previous page's `next`. Rejects with an `InboxError` (503 while the inbox starts).
     */
    async inbox(options = {}) {
        const query = new URLSearchParams();
        if (options.limit !== undefined)
            query.set('limit', String(options.limit));
        if (options.before)
            query.set('before', options.before);
        const search = query.toString();
        const path = `/api/v1/inbox${search ? `?${search}` : ''}`;
        return inboxRequest(httpBase(this.url), await this.#httpToken(), path);
    }
    /**
     * Marks inbox items read (`ids`, or `'all'` up to now) for every device of the user: each of its
     * connected sessions gets a `read` event. Resolves to the unread count with the mark applied (with the
     * `inbox` option, `client.unread` takes it at once).
     */
    async markRead(ids) {
        const body = ids === 'all' ? { all: true } : { ids };
        const answer = await inboxRequest(httpBase(this.url), await this.#httpToken(), '/api/v1/inbox/read', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
        if (this.#settings.inbox && typeof answer?.unread === 'number' && !this.#stopping) {
            this.#setUnread(answer.unread, 'markRead');
        }
        return answer.unread;
    }
    /** A token for an HTTP call: the open session's, else a fresh one from the token function. */
    async #httpToken() {
        const source = this.#settings.token;
        if (typeof source === 'string')
            return source;
        return this.#token ?? (await source({ reason: this.#tokenReason, url: this.url }));
    }
    /** The transport of the current (or next) connection. */
    get transport() {
        return this.#transport;
    }
    /** The id of the node this client is (or was last) connected to. */
    get node() {
        return this.#node;
    }
    /** The URL of the current (or next) connection attempt. */
    get url() {
        return this.#settings.urls[this.#urlIndex];
    }
    get stats() {
        return { ...this.#stats };
    }
    on(name, listener) {
        if (CLIENT_EVENTS.has(name)) {
            return this.#events.on(name, listener);
        }
        return this.onEvent(name, listener);
    }
    /**
     * Listens to notifications whose `event` is `name`, even a name that is also a client event's
     * (e.g. `open`); `P` is their payload type, as in {@link on}.
     */
    onEvent(name, listener) {
        return this.#byEvent.on(name, listener);
    }
    /** Like {@link on}, removed after its first call. */
    once(name, listener) {
        const off = this.#events.on(name, (...args) => {
            off();
            listener(...args);
        });
        return off;
    }
    /**
     * Resolves when the client is open (at once if it is), rejects when it closes for good or
     * after `timeoutMs`.
     */
    whenOpen(timeoutMs = 30_000) {
        if (this.#state === 'open') {
            return Promise.resolve(undefined);
        }
        if (this.#state === 'closed') {
            return Promise.reject(new Error('the client is closed'));
        }
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                offs.forEach((off) => off());
                reject(new Error(`not open within ${timeoutMs} ms (state ${this.#state})`));
            }, timeoutMs);
            const offs = [
                this.#events.on('open', (event) => {
                    clearTimeout(timer);
                    offs.forEach((off) => off());
                    resolve(event);
                }),
                this.#events.on('closed', (event) => {
                    if (!event.willReconnect) {
                        clearTimeout(timer);
                        offs.forEach((off) => off());
                        reject(new Error(`closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`));
                    }
                }),
            ];
        });
    }
    /** Starts connecting (on the next microtask, so listeners added right after `connect()` see everything). Idempotent. */
    start() {
        if (this.#state === 'idle' && !this.#stopping) {
            this.#listenToNetwork(true);
            this.#setState('connecting');
            queueMicrotask(() => {
                if (!this.#stopping) {
                    void this.#connect();
                }
            });
        }
        return this;
    }
    /**
     * Closes the connection for good: no reconnect. Resolves once closed (the `closed` event
     * has been emitted with `willReconnect: false`).
     */
    close(code = CloseCode.NORMAL, reason = 'client closed') {
        if (this.#state === 'closed' || this.#stopping) {
            return this.#closed;
        }
        this.#stopping = true;
        this.#closeCode = code;
        this.#closeReason = reason;
        this.#clearTimer('reconnect');
        const socket = this.#socket;
        if (!socket) {
            this.#generation++; // a connect waiting for its token or WebSocket class stops there
            this.#finish(code, reason, false, this.url);
            return this.#closed;
        }
        try {
            socket.close(code, reason);
        }
        catch {
            try {
                socket.close();
            }
            catch {
                // already closing
            }
        }
        // A dead connection may never complete the closing handshake: do not wait for it forever.
        this.#closeFallbackTimer = setTimeout(() => this.#drop(socket, code, reason), 2_000);
        return this.#closed;
    }
    async #connect() {
        const generation = ++this.#generation;
        const url = this.url;
        const resuming = this.#cursor !== undefined;
        this.#setState('connecting');
        this.#stats.attempts++;
        this.#log(`connecting to ${url} (attempt ${this.#failures}, ${resuming ? 'resuming from a cursor' : 'no cursor'})`);
        this.#events.emit('connecting', { url, attempt: this.#failures, resuming });
        let token;
        const transport = this.#transport;
        const EventSourceClass = this.#settings.EventSource ?? globalEventSource();
        let WebSocketClass;
        if (transport === 'sse' && !EventSourceClass) {
            this.#error('eventsource_unavailable', 'no EventSource implementation: pass one as the `EventSource` option', 'client');
            this.#stopping = true;
            this.#finish(CloseCode.ABNORMAL, 'no EventSource implementation', false, url);
            return;
        }
        if (transport === 'websocket') {
            try {
                WebSocketClass = await resolveWebSocket(this.#settings.WebSocket);
            }
            catch (cause) {
                if (generation !== this.#generation)
                    return;
                this.#error('websocket_unavailable', messageOf(cause), 'client', cause);
                this.#stopping = true;
                this.#finish(CloseCode.ABNORMAL, 'no WebSocket implementation', false, url);
                return;
            }
        }
        try {
            const source = this.#settings.token;
            if (typeof source !== 'string')
                this.#log(`asking the token function for a token (reason: ${this.#tokenReason})`);
            token = typeof source === 'string' ? source : await source({ reason: this.#tokenReason, url });
            if (typeof token !== 'string' || token.length === 0) {
                throw new TypeError('the token function returned no token');
            }
        }
        catch (cause) {
            if (generation !== this.#generation)
                return;
            this.#error('token_error', `could not get a token: ${messageOf(cause)}`, 'client', cause);
            this.#afterClose(CloseCode.ABNORMAL, 'no token', url, false, false);
            return;
        }
        if (generation !== this.#generation || this.#stopping) {
            return;
        }
        let socket;
        try {
            socket = WebSocketClass
                ? new WebSocketClass(buildUrl(url, token, this.#cursor))
                : new SseSocket(buildUrl(url, token, this.#cursor), EventSourceClass);
        }
        catch (cause) {
            this.#error('socket_error', `cannot open ${url}: ${messageOf(cause)}`, 'client', cause);
            this.#afterClose(CloseCode.ABNORMAL, messageOf(cause), url, false, false);
            return;
        }
        this.#socket = socket;
        this.#token = token;
        this.#connectedWithCursor = resuming;
        this.#resuming = false;
        this.#httpStatus = undefined;
        this.#openedAt = undefined;
        this.#connectTimer = setTimeout(() => this.#drop(socket, CloseCode.CONNECT_TIMEOUT, 'no welcome within the connect timeout'), this.#settings.connectTimeoutMs);
        socket.onmessage = (event) => {
            if (this.#socket === socket)
                this.#onData(event.data, url);
        };
        socket.onerror = (event) => {
            if (this.#socket !== socket)
                return;
            // `ws` reports a refused handshake as "Unexpected server response: 401"; browsers say nothing.
            const match = /Unexpected server response: (\d{3})/.exec(messageOf(event));
            if (match)
                this.#httpStatus = Number(match[1]);
        };
        socket.onclose = (event) => {
            if (this.#socket === socket)
                this.#onSocketClosed(event.code, event.reason ?? '', url);
        };
    }
    #onData(data, url) {
        this.#clearTimer('pong'); // anything from the server proves the connection alive
        if (typeof data !== 'string') {
            return; // the protocol has no binary frames
        }
        const text = data;
        const frame = parseServerFrame(text);
        if (!frame) {
            this.#log(`ignored a frame it does not understand (${text.length} characters)`);
            this.#error('bad_server_frame', `ignored a frame the client does not understand: ${text.slice(0, 200)}`, 'client');
            return;
        }
        this.#onFrame(frame, url);
    }
    #onFrame(frame, url) {
        switch (frame.type) {
            case 'welcome': {
                this.#clearTimer('connect');
                this.#node = frame.node;
                // On a resume the welcome carries the node's position, ahead of what this client has:
                // the cursor moves only with the replay, or it would skip what the replay is about to send.
                if (!this.#connectedWithCursor && frame.cursor) {
                    this.#cursor = frame.cursor;
                }
                this.#resuming = this.#connectedWithCursor;
                this.#openedAt = Date.now();
                this.#tokenReason = 'reconnect';
                this.#stats.opens++;
                this.#startPing();
                this.#scheduleRefresh(jwtExpiry(this.#token));
                this.#log(`open on node ${frame.node} at ${url}${this.#resuming ? ', the node replays what was missed' : ''}`);
                this.#setState('open');
                this.#neverOpened = 0;
                this.#events.emit('open', {
                    url,
                    node: frame.node,
                    cursor: this.#cursor,
                    resuming: this.#resuming,
                    transport: this.#transport,
                });
                if (this.#settings.inbox && this.#state === 'open')
                    void this.#loadInbox(this.#settings.inbox);
                return;
            }
            case 'notification': {
                if (frame.cursor) {
                    this.#cursor = frame.cursor;
                }
                this.#stats.received++;
                if (!this.#seen.add(frame.id)) {
                    this.#stats.duplicates++;
                    this.#log(`dropped duplicate notification ${frame.id}`);
                    return;
                }
                this.#log(`notification ${frame.id} (${frame.event})${frame.replay ? ', a replay' : ''}`);
                this.#stats.delivered++;
                const previous = this.#unread;
                if (this.#settings.inbox)
                    this.#countLive(frame);
                const info = { node: this.#node, url, resuming: this.#resuming };
                this.#events.emit('notification', frame, info);
                this.#byEvent.emit(frame.event, frame, info);
                this.#emitUnread(previous, 'notification');
                return;
            }
            case 'resumed':
                if (frame.cursor) {
                    this.#cursor = frame.cursor;
                }
                this.#resuming = false;
                this.#log(`resumed: ${frame.recovered ? 'recovered' : 'NOT recovered (gap too old)'}, ${frame.replayed} replayed`);
                this.#events.emit('resumed', {
                    recovered: frame.recovered,
                    replayed: frame.replayed,
                    cursor: this.#cursor,
                    node: this.#node,
                });
                return;
            case 'expiring':
                this.#log(`the session's token ends in ${frame.in} s`);
                void this.#refresh(this.#socket);
                return;
            case 'refreshed': {
                this.#refreshing = false;
                const expiresAt = Date.parse(frame.expiresAt);
                this.#log(`token refreshed in band; the session now ends at ${frame.expiresAt}`);
                this.#scheduleRefresh(Number.isNaN(expiresAt) ? undefined : expiresAt);
                this.#events.emit('refreshed', { expiresAt: frame.expiresAt, node: this.#node });
                return;
            }
            case 'read': {
                this.#log(`${frame.all ? 'everything' : `${frame.ids.length} item(s)`} marked read; ${frame.unread} unread`);
                const previous = this.#unread;
                if (this.#settings.inbox) {
                    const load = this.#inboxLoad;
                    if (load) {
                        load.read = true;
                        for (const id of frame.ids)
                            load.readIds.add(id);
                        if (frame.all)
                            load.allBefore = load.live.length;
                    }
                    this.#unread = frame.unread;
                }
                this.#events.emit('read', { ids: frame.ids, all: frame.all === true, unread: frame.unread });
                this.#emitUnread(previous, 'read');
                return;
            }
            case 'error':
                if (frame.code === 'bad_token')
                    this.#refreshing = false;
                this.#log(`server error ${frame.code}: ${frame.message}`);
                this.#error(frame.code, frame.message, 'server');
                return;
            case 'pong':
                return;
        }
    }
    #onSocketClosed(code, reason, url) {
        const wasOpen = this.#openedAt !== undefined;
        const lived = wasOpen ? Date.now() - this.#openedAt : 0;
        this.#log(`closed ${code}${reason ? ` (${reason})` : ''} at ${url}` +
            (this.#httpStatus ? `, HTTP ${this.#httpStatus} at the handshake` : '') +
            (wasOpen ? ` after ${lived} ms open` : ', never opened'));
        this.#releaseSocket();
        if (this.#stopping) {
            this.#finish(this.#closeCode, this.#closeReason || reason, wasOpen, url);
            return;
        }
        if (!wasOpen)
            this.#switchTransportAfterFailures();
        if (wasOpen && lived >= this.#settings.stableAfterMs) {
            this.#failures = 0;
        }
        this.#afterClose(code, reason, url, wasOpen, true);
    }
    /** Decides what follows a closed (or never opened) connection: reconnect somewhere, or stop. */
    #afterClose(code, reason, url, wasOpen, fromSocket) {
        const httpStatus = fromSocket ? this.#httpStatus : undefined;
        const rejected = code === CloseCode.POLICY_VIOLATION || httpStatus === 401;
        const base = { code, reason, url, node: this.#node, wasOpen, ...(httpStatus ? { httpStatus } : {}) };
        if (!this.#settings.reconnect) {
            this.#stopping = true;
            this.#finish(code, reason, wasOpen, url, httpStatus);
            return;
        }
        if (rejected && typeof this.#settings.token === 'string') {
            this.#error('token_rejected', `the token was refused (${httpStatus ? `HTTP ${httpStatus}` : code}${reason ? `: ${reason}` : ''}); pass a token function to refresh it`, 'client');
            this.#stopping = true;
            this.#finish(code, reason, wasOpen, url, httpStatus);
            return;
        }
        if (this.#failures >= this.#settings.maxReconnectAttempts) {
            this.#error('gave_up', `gave up after ${this.#failures} failed reconnect attempts`, 'client');
            this.#stopping = true;
            this.#finish(code, reason, wasOpen, url, httpStatus);
            return;
        }
        if (!SAME_NODE_CODES.has(code) && this.#settings.urls.length > 1) {
            this.#urlIndex = (this.#urlIndex + 1) % this.#settings.urls.length;
        }
        const delayMs = fullJitterDelay(this.#failures, this.#settings.backoff, this.#settings.random);
        this.#failures++;
        this.#tokenReason = rejected ? 'rejected' : 'reconnect';
        this.#setState('reconnecting');
        this.#log(`reconnecting to ${this.url} in ${delayMs} ms (attempt ${this.#failures}${rejected ? ', with a fresh token' : ''})`);
        this.#reconnectTimer = setTimeout(() => {
            this.#reconnectTimer = undefined;
            if (!this.#stopping)
                void this.#connect();
        }, delayMs);
        this.#events.emit('closed', { ...base, willReconnect: true });
        if (this.#state === 'reconnecting' && this.#reconnectTimer !== undefined) {
            this.#events.emit('reconnecting', {
                delayMs,
                attempt: this.#failures,
                url: this.url,
                code,
                refreshToken: rejected,
            });
        }
    }
    /** Gives up on a socket without waiting for it (timeouts): as if it had closed with `code`. */
    #drop(socket, code, reason) {
        if (this.#socket !== socket) {
            return;
        }
        socket.onmessage = null;
        socket.onclose = null;
        socket.onerror = null;
        socket.onopen = null;
        try {
            if (typeof socket.terminate === 'function')
                socket.terminate();
            else
                socket.close(code, reason);
        }
        catch {
            // closing a socket that is half gone may throw; it is being abandoned anyway
        }
        this.#onSocketClosed(code, reason, this.url);
    }
    #finish(code, reason, wasOpen, url, httpStatus) {
        this.#releaseSocket();
        this.#clearTimer('reconnect');
        this.#clearTimer('inbox');
        this.#inboxGeneration++;
        this.#inboxLoad = undefined;
        this.#listenToNetwork(false);
        if (this.#state === 'closed') {
            return;
        }
        this.#log(`closed for good (${code}${reason ? ` ${reason}` : ''})`);
        this.#setState('closed');
        this.#events.emit('closed', {
            code,
            reason,
            url,
            node: this.#node,
            wasOpen,
            willReconnect: false,
            ...(httpStatus ? { httpStatus } : {}),
        });
        this.#resolveClosed();
    }
    #releaseSocket() {
        this.#socket = undefined;
        this.#openedAt = undefined;
        this.#resuming = false;
        this.#clearTimer('connect');
        this.#clearTimer('ping');
        this.#clearTimer('pong');
        this.#clearTimer('closeFallback');
        this.#clearTimer('refresh');
        this.#refreshing = false;
    }
    /** In `auto`, moves to the other transport after two attempts in a row that never opened, if it is available. */
    #switchTransportAfterFailures() {
        this.#neverOpened++;
        if (this.#settings.transport !== 'auto' || this.#neverOpened < 2)
            return;
        const other = this.#transport === 'websocket' ? 'sse' : 'websocket';
        if (other === 'sse' && !(this.#settings.EventSource ?? globalEventSource()))
            return;
        this.#log(`${this.#neverOpened} attempts in a row never opened over ${this.#transport}: trying ${other}`);
        this.#transport = other;
        this.#neverOpened = 0;
    }
    /**
     * Sends a fresh token `refreshAheadMs` before `endsAt` (epoch ms), when there is a token function
     * to ask and the transport can carry it (an event stream cannot: its client reconnects instead).
     */
    #scheduleRefresh(endsAt) {
        this.#clearTimer('refresh');
        if (endsAt === undefined || typeof this.#settings.token !== 'function' || this.#transport === 'sse')
            return;
        const socket = this.#socket;
        const delay = Math.max(0, endsAt - Date.now() - this.#settings.refreshAheadMs);
        this.#refreshTimer =
            delay > MAX_TIMER_MS
                ? setTimeout(() => this.#scheduleRefresh(endsAt), MAX_TIMER_MS)
                : setTimeout(() => void this.#refresh(socket), delay);
    }
    /** Asks the token function for a fresh token and sends it in band on `socket`, if still the open connection. */
    async #refresh(socket) {
        const source = this.#settings.token;
        if (this.#refreshing || typeof source === 'string' || this.#socket !== socket || !socket)
            return;
        if (this.#transport === 'sse')
            return; // the stream takes nothing from the client
        this.#clearTimer('refresh');
        this.#refreshing = true;
        let token;
        try {
            this.#log('asking the token function for a token (reason: refresh)');
            token = await source({ reason: 'refresh', url: this.url });
            if (typeof token !== 'string' || token.length === 0) {
                throw new TypeError('the token function returned no token');
            }
        }
        catch (cause) {
            this.#refreshing = false;
            this.#error('token_error', `could not get a token to refresh the session: ${messageOf(cause)}`, 'client', cause);
            return;
        }
        if (this.#socket !== socket || socket.readyState !== OPEN) {
            this.#refreshing = false;
            return;
        }
        try {
            socket.send(JSON.stringify({ type: 'refresh', token }));
            this.#token = token;
        }
        catch {
            this.#refreshing = false; // the close event follows
        }
    }
    /**
     * Loads the first inbox page for the `inbox` option, trying again with backoff while the gateway
     * cannot answer yet; a newer load (the next open) or close() makes it drop what it gets.
     */
    async #loadInbox(options) {
        const generation = ++this.#inboxGeneration;
        this.#clearTimer('inbox');
        const load = { live: [], readIds: new Set(), read: false, allBefore: undefined };
        this.#inboxLoad = load;
        const current = () => generation === this.#inboxGeneration && !this.#stopping;
        for (let attempt = 0;; attempt++) {
            let retryAfterMs = 0;
            let cause;
            let retryable;
            try {
                const page = await this.inbox({ limit: options.limit });
                if (!current())
                    return;
                if (isInboxPage(page)) {
                    this.#inboxLoaded(page, load);
                    return;
                }
                cause = new TypeError('the gateway answered something that is not an inbox page');
                retryable = false;
            }
            catch (error) {
                if (!current())
                    return;
                cause = error;
                // No status: the gateway could not be reached (or the token function failed): that may pass.
                const status = error instanceof InboxError ? error.status : undefined;
                retryable = status === undefined || status >= 500 || status === 429;
                retryAfterMs = error instanceof InboxError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
            }
            if (!retryable || attempt >= options.retries) {
                this.#inboxLoad = undefined;
                const tries = attempt + 1;
                this.#error('inbox_error', `could not load the inbox: ${messageOf(cause)}${retryable ? ` (${tries} tries)` : ''}`, 'client', cause);
                return;
            }
            const backoff = this.#settings.backoff;
            const delayMs = Math.min(backoff.maxDelayMs, Math.max(retryAfterMs, fullJitterDelay(attempt, backoff, this.#settings.random)));
            this.#log(`could not load the inbox (${messageOf(cause)}): trying again in ${delayMs} ms`);
            await new Promise((resolve) => {
                this.#inboxTimer = setTimeout(() => {
                    this.#inboxTimer = undefined;
                    resolve();
                }, delayMs);
            });
            if (!current())
                return;
        }
    }
    /** Takes in a loaded page with what happened while it loaded, and emits `inbox` (and `unread`). */
    #inboxLoaded(page, load) {
        this.#inboxLoad = undefined;
        const listed = new Set(page.items.map((item) => item.id));
        const allBefore = load.allBefore ?? 0;
        // Live ones after an `all` mark are unread; the page's items are older than them, or are them.
        const unreadLive = new Set(load.live.slice(allBefore).map((n) => n.id));
        const markedRead = (id, index) => load.readIds.has(id) || (load.allBefore !== undefined && (index === undefined ? !unreadLive.has(id) : index < allBefore));
        const live = [];
        load.live.forEach((n, index) => {
            if (listed.has(n.id))
                return;
            const { cursor: _cursor, ...item } = n;
            live.unshift({ ...item, read: markedRead(n.id, index) });
        });
        const items = [
            ...live,
            ...page.items.map((item) => (!item.read && markedRead(item.id) ? { ...item, read: true } : item)),
        ];
        for (const item of items)
            this.#counted.add(item.id);
        // A read frame meanwhile set the count (the gateway's, as new as the page's or newer) and live
        // ones after it added to it; else the page's count plus what arrived live that it does not list.
        const unread = load.read ? (this.#unread ?? page.unread) : page.unread + live.filter((item) => !item.read).length;
        const previous = this.#unread;
        this.#unread = unread;
        const reload = this.#inboxLoads++ > 0;
        this.#log(`inbox loaded: ${page.items.length} item(s) (+${live.length} live), ${unread} unread`);
        this.#events.emit('inbox', { items, unread, next: page.next, reload });
        this.#emitUnread(previous, 'inbox', true);
    }
    /** Counts a live notification as unread unless its id was counted (an inbox item, or delivered before). */
    #countLive(notification) {
        if (!this.#counted.add(notification.id))
            return;
        const load = this.#inboxLoad;
        if (load) {
            load.live.push(notification);
            if (load.live.length > MAX_LIVE_DURING_LOAD) {
                load.live.shift();
                if (load.allBefore !== undefined)
                    load.allBefore = Math.max(0, load.allBefore - 1);
            }
        }
        if (this.#unread !== undefined)
            this.#unread++;
    }
    #setUnread(unread, cause) {
        const previous = this.#unread;
        this.#unread = unread;
        this.#emitUnread(previous, cause);
    }
    /** Emits `unread` if the count is no longer `previous` (or, with `always`, whenever it is known). */
    #emitUnread(previous, cause, always = false) {
        const unread = this.#unread;
        if (unread === undefined || (unread === previous && !always))
            return;
        this.#events.emit('unread', { unread, previous, cause });
    }
    #startPing() {
        this.#clearTimer('ping');
        const socket = this.#socket;
        this.#pingTimer = setInterval(() => this.#ping(socket), this.#settings.pingIntervalMs);
    }
    /** Sends a ping on `socket` if it is still the open connection; no answer within the pong timeout drops it. */
    #ping(socket) {
        if (this.#socket !== socket || !socket || socket.readyState !== OPEN)
            return;
        try {
            socket.send('{"type":"ping"}');
        }
        catch {
            return; // the close event follows
        }
        this.#pongTimer ??= setTimeout(() => {
            this.#pongTimer = undefined;
            this.#drop(socket, CloseCode.PING_TIMEOUT, 'no pong within the pong timeout');
        }, this.#settings.pongTimeoutMs);
    }
    #onOffline = () => {
        const socket = this.#socket;
        this.#log(`the browser went offline${socket ? ': dropping the connection' : ''}`);
        if (socket)
            this.#drop(socket, CloseCode.OFFLINE, 'the browser went offline');
    };
    #onOnline = () => {
        if (this.#stopping)
            return;
        if (this.#state === 'reconnecting' && this.#reconnectTimer !== undefined) {
            // The network is back: the failures were the network's, not the nodes'.
            this.#log('the browser is back online: reconnecting now');
            this.#clearTimer('reconnect');
            this.#failures = 0;
            void this.#connect();
        }
        else if (this.#state === 'open') {
            // The connection may have died with the old network without a close: a ping tells.
            this.#log('the browser is back online: checking the connection with a ping');
            this.#ping(this.#socket);
        }
    };
    #listenToNetwork(listen) {
        const network = this.#settings.network;
        if (!network || this.#networkListening === listen)
            return;
        this.#networkListening = listen;
        try {
            if (listen) {
                network.addEventListener('offline', this.#onOffline);
                network.addEventListener('online', this.#onOnline);
            }
            else {
                network.removeEventListener('offline', this.#onOffline);
                network.removeEventListener('online', this.#onOnline);
            }
        }
        catch (cause) {
            this.#log(`cannot ${listen ? 'listen to' : 'stop listening to'} the network events: ${messageOf(cause)}`);
        }
    }
    #log(message) {
        const debug = this.#settings.debug;
        if (!debug)
            return;
        try {
            debug(message);
        }
        catch {
            // a logger that throws must not break the connection
        }
    }
    #clearTimer(which) {
        switch (which) {
            case 'inbox':
                if (this.#inboxTimer !== undefined)
                    clearTimeout(this.#inboxTimer);
                this.#inboxTimer = undefined;
                return;
            case 'refresh':
                if (this.#refreshTimer !== undefined)
                    clearTimeout(this.#refreshTimer);
                this.#refreshTimer = undefined;
                return;
            case 'reconnect':
                if (this.#reconnectTimer !== undefined)
                    clearTimeout(this.#reconnectTimer);
                this.#reconnectTimer = undefined;
                return;
            case 'connect':
                if (this.#connectTimer !== undefined)
                    clearTimeout(this.#connectTimer);
                this.#connectTimer = undefined;
                return;
            case 'ping':
                if (this.#pingTimer !== undefined)
                    clearInterval(this.#pingTimer);
                this.#pingTimer = undefined;
                return;
            case 'pong':
                if (this.#pongTimer !== undefined)
                    clearTimeout(this.#pongTimer);
                this.#pongTimer = undefined;
                return;
            case 'closeFallback':
                if (this.#closeFallbackTimer !== undefined)
                    clearTimeout(this.#closeFallbackTimer);
                this.#closeFallbackTimer = undefined;
                return;
        }
    }
    #setState(state) {
        const previous = this.#state;
        if (previous === state)
            return;
        this.#state = state;
        this.#events.emit('state', { state, previous });
    }
    #error(code, message, source, cause) {
        this.#events.emit('error', { code, message, source, ...(cause === undefined ? {} : { cause }) });
    }
    #listenerFailed(error, event) {
        if (event === 'error') {
            // An error listener that throws has nowhere to report to.
            console.error('@tidings/client: an error listener threw', error);
            return;
        }
        this.#error('listener_error', `a listener of "${event}" threw: ${messageOf(error)}`, 'client', error);
    }
}
/** The `network` option resolved: the given events, none when `false`, else the global scope's if it has events. */
function networkEvents(option) {
    if (option === false)
        return undefined;
    if (option !== undefined)
        return option;
    const scope = globalThis;
    return typeof scope.addEventListener === 'function' && typeof scope.removeEventListener === 'function'
        ? globalThis
        : undefined;
}
function inboxOptions(option) {
    if (option === undefined || option === false)
        return undefined;
    const given = option === true ? {} : option;
    if (typeof given !== 'object' || given === null)
        throw new TypeError('inbox must be a boolean or {limit, retries}');
    const limit = given.limit ?? 50;
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 200))
        throw new RangeError('inbox.limit must be an integer from 1 to 200');
    const retries = given.retries ?? 5;
    if (!(Number.isInteger(retries) && retries >= 0))
        throw new RangeError('inbox.retries must be an integer >= 0');
    return { limit, retries };
}
/** Whether a gateway's answer has the shape of an inbox page (items, unread, next). */
function isInboxPage(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const page = value;
    return (Array.isArray(page.items) &&
        page.items.every((item) => typeof item === 'object' && item !== null && typeof item.id === 'string') &&
        typeof page.unread === 'number' &&
        (page.next === null || typeof page.next === 'string'));
}
function debugLogger(option) {
    if (typeof option === 'function')
        return option;
    return option ? (message) => console.debug(`@tidings/client: ${message}`) : undefined;
}
/** Creates a client and starts connecting. */
export function connect(options) {
    return new TidingsClient(options).start();
}
function normalizeUrls(url) {
    const list = (typeof url === 'string' ? [url] : [...url]).map((u) => u.trim()).filter((u) => u.length > 0);
    if (list.length === 0) {
        throw new TypeError('url must name at least one gateway WebSocket URL');
    }
    return Object.freeze(list.map(toWebSocketUrl));
}
function toWebSocketUrl(raw) {
    const base = globalThis.location?.href;
    let parsed;
    try {
        parsed = base ? new URL(raw, base) : new URL(raw);
    }
    catch {
        throw new TypeError(`not a URL: ${raw}`);
    }
    if (parsed.protocol === 'http:')
        parsed.protocol = 'ws:';
    else if (parsed.protocol === 'https:')
        parsed.protocol = 'wss:';
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
        throw new TypeError(`not a ws:, wss:, http: or https: URL: ${raw}`);
    }
    return parsed.toString();
}
function buildUrl(url, token, cursor) {
    const parsed = new URL(url);
    parsed.searchParams.set('access_token', token);
    if (cursor)
        parsed.searchParams.set('cursor', cursor);
    else
        parsed.searchParams.delete('cursor');
    return parsed.toString();
}
function transportOption(value) {
    if (value === undefined || value === 'auto' || value === 'websocket' || value === 'sse')
        return value ?? 'auto';
    throw new TypeError("transport must be 'auto', 'websocket' or 'sse'");
}
function positive(name, value, fallback, zeroOk = false) {
    if (value === undefined)
        return fallback;
    if (!(typeof value === 'number' && !Number.isNaN(value) && (zeroOk ? value >= 0 : value > 0))) {
        throw new RangeError(`${name} must be a number ${zeroOk ? '>= 0' : '> 0'}`);
    }
    return value;
}
/** The `exp` of a JWT, in epoch ms; `undefined` for a token that is not a JWT with a numeric `exp`. */
function jwtExpiry(token) {
    const payload = token?.split('.')[1];
    if (!payload)
        return undefined;
    try {
        const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
        const claims = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')));
        const exp = typeof claims === 'object' && claims !== null ? claims.exp : undefined;
        return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
    }
    catch {
        return undefined;
    }
}
function messageOf(value) {
    if (value instanceof Error)
        return value.message;
    if (typeof value === 'object' && value !== null && 'message' in value) {
        return String(value.message);
    }
    return String(value);
}

// The Tidings demo page: connect as a user to the gateway that serves this page, watch
// notifications arrive, publish through the publisher API, and keep the user's inbox (history and
// read state, shared by all the user's tabs and devices). No framework, no CDN: the SDK is
// shipped next to this file (sdk/, copied from clients/js by `npm run bundle:static`).
import { connect } from './sdk/index.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const publisherBase = (params.get('publisher') || `${location.protocol}//${location.hostname}:8080`).replace(/\/+$/, '');
// ?transport=sse (or websocket) picks the SDK's transport instead of auto; ?ttl=SECONDS makes the dev
// tokens that short-lived, so the SDK's in-band refresh can be watched.
const transport = params.get('transport') || 'auto';
const tokenTtl = params.get('ttl');
const MAX_FEED = 200;
const MAX_LOG = 100;
const MAX_INBOX = 200;

const CLOSE_MEANING = {
  1000: 'closed normally',
  1001: 'node going away',
  1006: 'connection lost or refused',
  1008: 'token refused or expired',
  1009: 'frame too large',
  1011: 'server error',
  1013: 'node busy or shutting down',
  4000: 'no welcome in time',
  4001: 'no answer to ping',
  4002: 'browser offline',
  4408: 'client too slow',
};

/** @type {import('./sdk/index.js').TidingsClient | undefined} */
let client;
let offs = [];
// What this page showed, and duplicates dropped by earlier clients (each Connect makes a new one)
// and by the page itself.
const counts = { shown: 0, duplicates: 0 };

// ---- small DOM helpers ---------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clock(date = new Date()) {
  return date.toLocaleTimeString([], { hour12: false });
}

function log(text, tone) {
  const list = $('log');
  list.prepend(el('li', { class: tone }, el('time', {}, clock()), el('span', {}, text)));
  while (list.children.length > MAX_LOG) list.lastElementChild.remove();
}

function splitList(text) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function cursorKey(user) {
  return `tidings.demo.cursor.${user}`;
}

// ---- tokens from the serving gateway's dev endpoint ----------------------------------------

async function devToken({ user, groups = [], scope = '' }) {
  const query = new URLSearchParams({ user });
  if (groups.length) query.set('groups', groups.join(','));
  if (tokenTtl) query.set('ttl', tokenTtl);
  if (scope) query.set('scope', scope);
  let response;
  try {
    response = await fetch(`/dev/token?${query}`, { cache: 'no-store' });
  } catch (err) {
    throw new Error(`cannot reach this gateway for a token (${err.message})`);
  }
  if (response.status === 404) {
    throw new Error('this gateway has no /dev/token endpoint: start the cluster with ./tidings up');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`token request failed: HTTP ${response.status} ${body.error ?? ''}`.trim());
  }
  return body.token;
}

// ---- connection ------------------------------------------------------------------------------

function setState(state) {
  const pill = $('state');
  pill.textContent = state;
  pill.className = `pill state-${state}`;
  const connected = state !== 'idle' && state !== 'closed';
  $('connect-btn').disabled = connected;
  $('disconnect-btn').disabled = !connected;
  $('user').disabled = connected;
  $('groups').disabled = connected;
}

function showCounts() {
  const duplicates = counts.duplicates + (client?.stats.duplicates ?? 0);
  $('count').textContent = String(counts.shown);
  $('dupes').textContent = duplicates ? `(${duplicates} duplicate${duplicates > 1 ? 's' : ''} dropped)` : '';
}

function showCursor(cursor) {
  const node = $('cursor');
  node.textContent = cursor || '–';
  node.title = cursor || '';
}

function startClient(user, groups, resume) {
  const saved = resume ? sessionStorage.getItem(cursorKey(user)) : null;
  client = connect({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    token: () => devToken({ user, groups }),
    transport,
    // The first inbox page on every open, then an unread count kept by the SDK (client.unread).
    inbox: { limit: 50 },
    ...(saved ? { cursor: saved } : {}),
  });
  window.tidingsDemo.client = client;
  const c = client;
  offs = [
    c.on('state', ({ state }) => setState(state)),
    c.on('connecting', ({ attempt, resuming }) =>
      log(`connecting${attempt ? ` (attempt ${attempt + 1})` : ''}${resuming ? ', resuming from cursor' : ''} …`),
    ),
    c.on('open', ({ node, resuming, transport: over }) => {
      window.tidingsDemo.transport = over;
      $('node').textContent = node;
      $('served-host').textContent = `${location.host} · ${node}`;
      log(`connected to ${node} as ${user}${groups.length ? ` (groups ${groups.join(', ')})` : ''} over ${over}`, 'good');
      if (!resuming) remember(c.cursor);
    }),
    c.on('resumed', ({ recovered, replayed }) => {
      remember(c.cursor);
      log(
        recovered
          ? `resumed: ${replayed} missed notification${replayed === 1 ? '' : 's'} replayed`
          : `resumed, but the gap could not be filled (${replayed} replayed): some notifications may be missing`,
        recovered ? 'good' : 'bad',
      );
    }),
    c.on('closed', ({ code, reason, willReconnect }) => {
      const meaning = CLOSE_MEANING[code] ?? 'closed';
      log(`closed ${code}: ${reason || meaning}${willReconnect ? '' : ' — stopped'}`, code === 1000 ? undefined : 'bad');
    }),
    c.on('reconnecting', ({ delayMs, url }) => log(`reconnecting to ${new URL(url).host} in ${(delayMs / 1000).toFixed(1)} s`)),
    c.on('error', ({ code, message }) => log(`${code}: ${message}`, 'bad')),
    c.on('refreshed', ({ expiresAt }) => {
      window.tidingsDemo.refreshed++;
      log(`token refreshed in band: the session now ends at ${new Date(expiresAt).toLocaleTimeString()}`, 'good');
    }),
    c.on('notification', (n, info) => {
      remember(n.cursor);
      addNotice(n, info);
      showCounts();
      // What reaches the user live is in the inbox too: listed unread until the inbox says otherwise.
      if (c.unread !== undefined) addInboxItem({ ...n, read: false }, 'top');
    }),
    c.on('inbox', ({ items, unread, next, reload }) => {
      showInbox(items, next);
      window.tidingsDemo.inboxLoads++;
      log(`inbox ${reload ? 'reloaded' : 'loaded'}: ${items.length} item${items.length === 1 ? '' : 's'}, ${unread} unread`, 'good');
    }),
    c.on('unread', ({ unread }) => showUnread(unread)),
    c.on('read', ({ ids, all, unread }) => {
      markShownRead(all ? 'all' : ids);
      log(`${all ? 'everything' : `${ids.length} item${ids.length === 1 ? '' : 's'}`} marked read (on some device of ${user}); ${unread} unread`);
    }),
  ];

  function remember(cursor) {
    showCursor(cursor);
    if (cursor) sessionStorage.setItem(cursorKey(user), cursor);
  }
}

async function stopClient() {
  const c = client;
  if (!c) return;
  await c.close();
  counts.duplicates += c.stats.duplicates;
  offs.forEach((off) => off());
  offs = [];
  client = undefined;
  window.tidingsDemo.client = undefined;
  showUnread(window.tidingsDemo.unread); // the last count stays shown; nothing to mark while disconnected
  setState('closed');
  log('disconnected');
}

// ---- the feed --------------------------------------------------------------------------------

function targetBadge(target) {
  if (target.type === 'broadcast') return el('span', { class: 'badge broadcast' }, 'everyone');
  const ids = target.ids ?? [];
  return el('span', { class: `badge ${target.type}` }, `${target.type} ${ids.join(', ')}`);
}

function addNotice(n, info) {
  // A new connection starts with an empty de-duplication memory: the page remembers what it shows.
  if ($('feed').querySelector(`[data-id="${CSS.escape(n.id)}"]`)) {
    counts.duplicates++;
    return;
  }
  counts.shown++;
  $('feed-empty').hidden = true;
  const published = new Date(n.publishedAt);
  const item = el(
    'li',
    {
      class: `notice target-${n.target.type}`,
      'data-testid': 'notice',
      dataset: { id: n.id, event: n.event, target: n.target.type },
    },
    el(
      'div',
      { class: 'badges' },
      el('span', { class: 'event' }, n.event),
      targetBadge(n.target),
      n.replay ? el('span', { class: 'badge replay' }, 'operator replay') : null,
      info.resuming ? el('span', { class: 'badge replay' }, 'missed, replayed on resume') : null,
    ),
    el(
      'div',
      { class: 'meta' },
      `via ${info.node ?? '?'} · `,
      el('time', { datetime: n.publishedAt, title: n.publishedAt }, isNaN(published) ? n.publishedAt : clock(published)),
    ),
    el('pre', {}, JSON.stringify(n.payload, null, 2)),
    el('div', { class: 'id mono' }, n.id),
  );
  const feed = $('feed');
  feed.prepend(item);
  while (feed.children.length > MAX_FEED) feed.lastElementChild.remove();
}

// ---- the inbox -------------------------------------------------------------------------------

let inboxNext = null;
/** The user whose inbox is shown. */
let shownUser;

function showUnread(unread) {
  const badge = $('unread');
  badge.textContent = unread === undefined ? '–' : String(unread);
  badge.className = `unread-badge${unread === undefined ? ' unknown' : unread === 0 ? ' zero' : ''}`;
  badge.dataset.count = unread === undefined ? '' : String(unread);
  $('mark-all-btn').disabled = !client || !unread;
  window.tidingsDemo.unread = unread;
}

function summary(payload) {
  const text = JSON.stringify(payload);
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function setRead(item, read) {
  item.dataset.read = String(read);
  item.classList.toggle('read', read);
  item.classList.toggle('unread', !read);
  item.title = read ? 'read' : 'unread: click to mark it read';
  item.setAttribute('aria-pressed', String(read));
}

/** Lists an inbox item (once per id): at the top (newest) or at the bottom (an older page). */
function addInboxItem(entry, where) {
  const list = $('inbox');
  if (list.querySelector(`[data-id="${CSS.escape(entry.id)}"]`)) return;
  const published = new Date(entry.publishedAt);
  const item = el(
    'li',
    {
      class: 'inbox-item',
      'data-testid': 'inbox-item',
      role: 'button',
      tabindex: '0',
      dataset: { id: entry.id, event: entry.event },
    },
    el('span', { class: 'dot', 'aria-hidden': 'true' }),
    el('span', { class: 'event' }, entry.event, ' ', targetBadge(entry.target)),
    el('time', { datetime: entry.publishedAt, title: entry.publishedAt }, isNaN(published) ? entry.publishedAt : clock(published)),
    el('span', { class: 'summary mono' }, summary(entry.payload)),
  );
  setRead(item, entry.read === true);
  if (where === 'top') list.prepend(item);
  else list.append(item);
  while (list.children.length > MAX_INBOX) list.lastElementChild.remove();
  $('inbox-empty').hidden = true;
}

function showInbox(items, next) {
  $('inbox').replaceChildren();
  for (const entry of items) addInboxItem(entry, 'bottom');
  $('inbox-empty').hidden = items.length > 0;
  $('inbox-empty').textContent = 'The inbox is empty.';
  showMore(next);
}

function showMore(next) {
  inboxNext = next;
  $('inbox-more-btn').hidden = !next;
}

function markShownRead(ids) {
  const items = ids === 'all' ? $('inbox').children : ids.map((id) => $('inbox').querySelector(`[data-id="${CSS.escape(id)}"]`));
  for (const item of items) if (item) setRead(item, true);
}

async function markRead(ids) {
  const c = client;
  if (!c) return;
  try {
    await c.markRead(ids);
    markShownRead(ids);
  } catch (err) {
    log(`could not mark ${ids === 'all' ? 'everything' : ids.join(', ')} read: ${err.message}`, 'bad');
  }
}

async function loadOlder() {
  const c = client;
  if (!c || !inboxNext) return;
  const button = $('inbox-more-btn');
  button.disabled = true;
  try {
    const page = await c.inbox({ limit: 50, before: inboxNext });
    for (const entry of page.items) addInboxItem(entry, 'bottom');
    showMore(page.next);
  } catch (err) {
    log(`could not load older inbox items: ${err.message}`, 'bad');
  } finally {
    button.disabled = false;
  }
}

// ---- publishing --------------------------------------------------------------------------------

function publishResult(text, tone) {
  const node = $('publish-result');
  node.textContent = text;
  node.className = `result ${tone}`;
}

async function publish() {
  const type = document.querySelector('input[name=target]:checked').value;
  const ids = splitList($('target-ids').value);
  if (type !== 'broadcast' && ids.length === 0) {
    publishResult(`name at least one ${type} id`, 'error');
    $('target-ids').focus();
    return;
  }
  let payload;
  try {
    payload = JSON.parse($('payload').value || '{}');
  } catch (err) {
    publishResult(`the payload is not valid JSON: ${err.message}`, 'error');
    return;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    publishResult('the payload must be a JSON object, e.g. { "grade": "A" }', 'error');
    return;
  }
  const body = {
    target: type === 'broadcast' ? { type } : { type, ids },
    event: $('event').value.trim(),
    payload,
  };
  const button = $('publish-btn');
  button.disabled = true;
  publishResult('publishing …', '');
  try {
    const token = await devToken({ user: $('user').value.trim() || 'demo-publisher', scope: 'notifications:publish' });
    let response;
    try {
      response = await fetch(`${publisherBase}/api/v1/notifications`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(
        `cannot reach the publisher at ${publisherBase} (${err.message}). Is it running, and does it allow this ` +
          `page's origin (CORS, TIDINGS_CORS_ALLOWED_ORIGINS)?`,
      );
    }
    const result = await response.json().catch(() => ({}));
    if (response.status === 202) {
      publishResult(`accepted: ${result.id} (partition ${result.partition}, offset ${result.offset})`, 'ok');
      window.tidingsDemo.published.push(result.id);
    } else {
      const detail = [result.title, result.detail].filter(Boolean).join(': ');
      publishResult(`HTTP ${response.status}${detail ? ` — ${detail}` : ''}`, 'error');
    }
  } catch (err) {
    publishResult(err.message, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- wiring ------------------------------------------------------------------------------------

window.tidingsDemo = { client: undefined, published: [], transport: undefined, refreshed: 0, inboxLoads: 0, unread: undefined };

$('served-host').textContent = location.host;
$('publisher-url').textContent = publisherBase;
$('user').value = params.get('user') ?? localStorage.getItem('tidings.demo.user') ?? 'alice';
$('groups').value = params.get('groups') ?? localStorage.getItem('tidings.demo.groups') ?? 'Class:201901';
setState('idle');

$('connect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('user').value.trim();
  if (!user) return;
  const groups = splitList($('groups').value);
  localStorage.setItem('tidings.demo.user', user);
  localStorage.setItem('tidings.demo.groups', groups.join(', '));
  $('node').textContent = '–';
  showCursor(undefined);
  if (user !== shownUser) {
    // Another user's inbox: not this one's.
    $('inbox').replaceChildren();
    $('inbox-empty').hidden = false;
    $('inbox-empty').textContent = 'Loading the inbox …';
    showMore(null);
  }
  shownUser = user;
  startClient(user, groups, $('resume').checked);
  showUnread(undefined);
});
$('disconnect-btn').addEventListener('click', () => void stopClient());
$('publish-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void publish();
});
for (const radio of document.querySelectorAll('input[name=target]')) {
  radio.addEventListener('change', () => {
    const type = document.querySelector('input[name=target]:checked').value;
    const ids = $('target-ids');
    ids.disabled = type === 'broadcast';
    ids.placeholder = type === 'group' ? 'Class:201901' : type === 'user' ? 'alice, bob' : 'everyone';
    if (type === 'group' && !ids.value) ids.value = splitList($('groups').value)[0] ?? '';
  });
}
$('mark-all-btn').addEventListener('click', () => void markRead('all'));
$('inbox-more-btn').addEventListener('click', () => void loadOlder());
for (const type of ['click', 'keydown']) {
  $('inbox').addEventListener(type, (event) => {
    if (type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
    const item = event.target.closest('[data-testid=inbox-item]');
    if (!item || item.dataset.read === 'true') return;
    event.preventDefault();
    void markRead([item.dataset.id]);
  });
}
$('clear-btn').addEventListener('click', () => {
  $('feed').replaceChildren();
  $('feed-empty').hidden = false;
});
if (params.get('autoconnect') === '1') {
  $('connect-form').requestSubmit();
}

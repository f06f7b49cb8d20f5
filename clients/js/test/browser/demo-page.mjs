// Browser test of the demo page against a REAL local cluster (./tidings up, default ports): two
// headless Chromium pages, alice (group Class:201901) on gw-1's page and bob (no group) on gw-2's.
// A group notice reaches alice and not bob; a broadcast reaches both; alice resumes after a
// disconnect and after her browser went offline and came back. Then the inbox: one user on both
// nodes sees the same unread badge, a mark on one page clears it on the other, and a page opened
// afterwards (a new device) lists the history with its read state. Screenshots go to test-results/.
//
//   npm run test:browser            (builds the SDK first; the page uses its committed copy)
//   TIDINGS_DEMO_PAGES=http://127.0.0.1:8081/,http://127.0.0.1:8082/   the two pages (default)
//   CHROMIUM=/usr/bin/chromium      the browser (Debian's package: apt-get install chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results');
const [PAGE_1, PAGE_2] = (process.env.TIDINGS_DEMO_PAGES || 'http://127.0.0.1:8081/,http://127.0.0.1:8082/')
  .split(',')
  .map((s) => s.trim());
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const say = (text) => console.log(`[demo-page] ${text}`);

let browser;
const problems = []; // page errors, console errors, and requests that leave the machine

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM)`);
  mkdirSync(RESULTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 60_000,
  });
});
after(async () => {
  await browser?.close();
});

async function openAs(url, user, groups, label) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`${label}: page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${label}: console error: ${msg.text()}`);
  });
  page.on('request', (request) => {
    const host = new URL(request.url()).hostname;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host) && !request.url().startsWith('data:')) {
      problems.push(`${label}: request off the machine (the page must work offline): ${request.url()}`);
    }
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.getByTestId('user').fill(user);
  await page.getByTestId('groups').fill(groups);
  await page.getByTestId('connect').click();
  await page.getByTestId('state').filter({ hasText: /^open$/ }).waitFor({ timeout: 30_000 });
  const node = (await page.getByTestId('node').textContent()).trim();
  say(`${label}: ${user}${groups ? ` (groups ${groups})` : ''} connected to ${node} through ${url}`);
  return { page, context, node };
}

/** Publishes with the page's form and returns the accepted notification id. */
async function publishFrom(page, { target, ids = '', event, payload }) {
  await page.getByTestId(`target-${target}`).check();
  if (target !== 'broadcast') await page.getByTestId('target-ids').fill(ids);
  await page.getByTestId('event').fill(event);
  await page.getByTestId('payload').fill(JSON.stringify(payload, null, 2));
  const result = page.getByTestId('publish-result');
  await page.evaluate(() => {
    document.querySelector('[data-testid=publish-result]').textContent = '';
  });
  await page.getByTestId('publish').click();
  await page.waitForFunction(
    () => {
      const text = document.querySelector('[data-testid=publish-result]').textContent;
      return text && text !== 'publishing …';
    },
    null,
    { timeout: 30_000 },
  );
  const text = (await result.textContent()).trim();
  const match = /^accepted: (\S+)/.exec(text);
  assert.ok(match, `the page could not publish: "${text}"`);
  return match[1];
}

/** The page's URL with more query parameters (the pages may carry some already, e.g. ?publisher=). */
function withParams(url, params) {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

const notice = (page, id) => page.locator(`[data-testid=notice][data-id="${id}"]`);

/** What a page's inbox shows: the badge, and the listed items as [id, read] newest first. */
async function inboxOf(page) {
  return page.evaluate(() => ({
    unread: document.querySelector('[data-testid=unread]').textContent.trim(),
    items: [...document.querySelectorAll('[data-testid=inbox-item]')].map((li) => [li.dataset.id, li.dataset.read === 'true']),
  }));
}

/**
 * Waits (bounded) until the page's badge says `unread` and, for each of `items` ([id, read]), the
 * inbox lists that id with that read state; returns how long it took.
 */
async function waitForInbox(page, { unread, items = [] }, timeout = 10_000) {
  const started = Date.now();
  try {
    await page.waitForFunction(
      ({ unread, items }) => {
        if (document.querySelector('[data-testid=unread]').textContent.trim() !== String(unread)) return false;
        return items.every(([id, read]) => {
          const li = document.querySelector(`[data-testid=inbox-item][data-id="${CSS.escape(id)}"]`);
          return li !== null && li.dataset.read === String(read);
        });
      },
      { unread, items },
      { timeout },
    );
  } catch (err) {
    throw new Error(`inbox not as expected within ${timeout} ms: wanted ${JSON.stringify({ unread, items })}, ` +
      `page shows ${JSON.stringify(await inboxOf(page))} (${err.message.split('\n')[0]})`);
  }
  return Date.now() - started;
}

/** The inbox as the gateway at `pageUrl` answers it for `user` (a dev token from that gateway). */
async function inboxApi(pageUrl, user) {
  const origin = new URL(pageUrl).origin;
  const { token } = await (await fetch(`${origin}/dev/token?user=${encodeURIComponent(user)}`)).json();
  const response = await fetch(`${origin}/api/v1/inbox?limit=50`, { headers: { Authorization: `Bearer ${token}` } });
  return response.ok ? response.json() : { status: response.status };
}

test('a group notice reaches only the group member; a broadcast reaches everyone, across nodes', { timeout: 240_000 }, async () => {
  const run = randomBytes(3).toString('hex');
  const alice = await openAs(PAGE_1, 'alice', 'Class:201901', 'alice');
  const bob = await openAs(PAGE_2, 'bob', '', 'bob');
  assert.notEqual(alice.node, bob.node, 'alice and bob are on different gateway nodes');

  // A group notice, published from alice's page.
  const groupId = await publishFrom(alice.page, {
    target: 'group',
    ids: 'Class:201901',
    event: 'grade.published',
    payload: { course: 'Mathematics', grade: 'A', run },
  });
  say(`published group notice ${groupId} to Class:201901`);
  const started = Date.now();
  await notice(alice.page, groupId).waitFor({ timeout: 20_000 });
  say(`alice received it after ${Date.now() - started} ms`);
  const card = notice(alice.page, groupId);
  assert.equal(await card.getAttribute('data-event'), 'grade.published');
  assert.match(await card.textContent(), /group Class:201901/);
  assert.match(await card.textContent(), new RegExp(`via ${alice.node}`));

  // A broadcast, published from bob's page (through the other node).
  const broadcastId = await publishFrom(bob.page, {
    target: 'broadcast',
    event: 'campus.announcement',
    payload: { text: 'The library closes at 18:00 today', run },
  });
  say(`published broadcast ${broadcastId}`);
  await notice(alice.page, broadcastId).waitFor({ timeout: 20_000 });
  await notice(bob.page, broadcastId).waitFor({ timeout: 20_000 });
  say('alice and bob both received the broadcast');

  // Bob got a later notification, so the group notice had every chance to reach him: it must not have.
  await alice.page.waitForTimeout(1500);
  assert.equal(await notice(bob.page, groupId).count(), 0, 'bob (not in Class:201901) must not get the group notice');
  assert.match(await notice(bob.page, broadcastId).textContent(), new RegExp(`via ${bob.node}`));

  await alice.page.screenshot({ path: join(RESULTS, `demo-alice-${alice.node}.png`), fullPage: true });
  await bob.page.screenshot({ path: join(RESULTS, `demo-bob-${bob.node}.png`), fullPage: true });
  say(`screenshots in ${RESULTS}`);

  // The pages counted what they showed.
  const count = async (page) => Number(await page.getByTestId('count').textContent());
  assert.ok((await count(alice.page)) >= 2);
  assert.ok((await count(bob.page)) >= 1);
  assert.deepEqual(problems, [], 'no page errors, console errors or off-machine requests');

  // Alice goes away; bob sends her a direct notice meanwhile; when she connects again the page
  // resumes from the cursor it kept and shows what she missed, marked as replayed.
  await alice.page.getByTestId('disconnect').click();
  await alice.page.getByTestId('state').filter({ hasText: /^closed$/ }).waitFor({ timeout: 10_000 });
  const missedId = await publishFrom(bob.page, {
    target: 'user',
    ids: 'alice',
    event: 'message.received',
    payload: { from: 'bob', text: 'Did you see the grades?', run },
  });
  say(`published ${missedId} to user alice while she was disconnected`);
  await alice.page.getByTestId('connect').click();
  await notice(alice.page, missedId).waitFor({ timeout: 20_000 });
  assert.match(await notice(alice.page, missedId).textContent(), /missed, replayed on resume/);
  assert.match(await alice.page.getByTestId('log').textContent(), /resumed: \d+ missed notifications? replayed/);
  say('alice reconnected, resumed from her cursor and got the notice she missed');
  assert.ok((await count(alice.page)) >= 3, 'the page counts across reconnects');
  assert.equal(await notice(bob.page, missedId).count(), 0, 'a notice to alice does not reach bob');
  await alice.page.screenshot({ path: join(RESULTS, `demo-alice-${alice.node}-resumed.png`), fullPage: true });
  assert.deepEqual(problems, [], 'no page errors, console errors or off-machine requests');

  // Alice's browser goes offline: the SDK drops the connection at once (close 4002) instead of
  // waiting for a dead socket to time out; bob sends her a notice meanwhile; back online she
  // reconnects and resumes, getting it.
  await alice.context.setOffline(true);
  await alice.page.getByTestId('state').filter({ hasText: /^(reconnecting|connecting)$/ }).waitFor({ timeout: 10_000 });
  assert.match(await alice.page.getByTestId('log').textContent(), /closed 4002: the browser went offline/);
  const offlineId = await publishFrom(bob.page, {
    target: 'user',
    ids: 'alice',
    event: 'message.received',
    payload: { from: 'bob', text: 'Are you on the train?', run },
  });
  say(`alice went offline; published ${offlineId} to her meanwhile`);
  await alice.context.setOffline(false);
  await notice(alice.page, offlineId).waitFor({ timeout: 30_000 });
  await alice.page.getByTestId('state').filter({ hasText: /^open$/ }).waitFor({ timeout: 10_000 });
  say('alice came back online, reconnected and got the notice sent while she was offline');

  // Disconnect closes the sessions cleanly.
  for (const { page } of [alice, bob]) {
    await page.getByTestId('disconnect').click();
    await page.getByTestId('state').filter({ hasText: /^closed$/ }).waitFor({ timeout: 10_000 });
  }
  await alice.context.close();
  await bob.context.close();
});

test('over Server-Sent Events a page gets what is addressed to its user, and a WebSocket page refreshes its token in band', { timeout: 180_000 }, async () => {
  const run = randomBytes(3).toString('hex');
  // Erin's page is told to use the event stream, as it would after WebSockets failed behind a proxy.
  const erin = await openAs(withParams(PAGE_2, { transport: 'sse' }), 'erin', '', 'erin (sse)');
  assert.equal(await erin.page.evaluate(() => window.tidingsDemo.transport), 'sse');
  assert.match(await erin.page.getByTestId('log').textContent(), /over sse/);
  const toErin = await publishFrom(erin.page, {
    target: 'user',
    ids: 'erin',
    event: 'message.received',
    payload: { from: 'the library', text: 'Your book is ready', run },
  });
  await notice(erin.page, toErin).waitFor({ timeout: 20_000 });
  say(`erin received ${toErin} over the event stream from ${erin.node}`);

  // Frank's tokens live 95 s; the SDK refreshes 90 s ahead of exp, so about 5 s after it connected,
  // in band, without a reconnect.
  const frank = await openAs(withParams(PAGE_1, { ttl: '95' }), 'frank', 'Class:201901', 'frank (short tokens)');
  assert.equal(await frank.page.evaluate(() => window.tidingsDemo.transport), 'websocket');
  await frank.page.waitForFunction(() => window.tidingsDemo.refreshed >= 1, null, { timeout: 30_000 });
  assert.match(await frank.page.getByTestId('log').textContent(), /token refreshed in band/);
  assert.equal(await frank.page.evaluate(() => window.tidingsDemo.client.stats.opens), 1, 'no reconnect');
  const toClass = await publishFrom(frank.page, {
    target: 'group',
    ids: 'Class:201901',
    event: 'grade.published',
    payload: { course: 'Physics', grade: 'B', run },
  });
  await notice(frank.page, toClass).waitFor({ timeout: 20_000 });
  say(`frank's session refreshed its token in band and still receives (${toClass})`);
  assert.deepEqual(problems.filter((p) => /^(erin|frank)/.test(p)), [],
    'no page errors, console errors or off-machine requests on these pages');

  for (const { page } of [erin, frank]) {
    await page.getByTestId('disconnect').click();
    await page.getByTestId('state').filter({ hasText: /^closed$/ }).waitFor({ timeout: 10_000 });
  }
  await erin.context.close();
  await frank.context.close();
});

test('the inbox: one user on both nodes shares the unread badge and read marks; a new device lists the history', { timeout: 180_000 }, async () => {
  const run = randomBytes(3).toString('hex');
  const user = `ivy-${run}`; // a fresh inbox, but broadcasts from earlier tests are in it too
  const first = await openAs(PAGE_1, user, '', `${user} #1`);
  const second = await openAs(PAGE_2, user, '', `${user} #2`);
  assert.notEqual(first.node, second.node, 'the two pages of one user are on different gateway nodes');
  for (const { page } of [first, second]) {
    await page.waitForFunction(() => window.tidingsDemo.inboxLoads >= 1, null, { timeout: 30_000 });
  }
  const start = await inboxOf(first.page);
  say(`${user}'s inbox loaded on both pages: ${start.items.length} item(s), ${start.unread} unread`);
  if (start.unread !== '0') {
    // Broadcasts published by earlier tests (or runs) count too: start from a read inbox.
    await first.page.getByTestId('mark-all-read').click();
    await waitForInbox(first.page, { unread: 0 });
    await waitForInbox(second.page, { unread: 0 });
  }

  // Two notices to the user through the publisher API: both pages list them unread, badge 2.
  const ids = [];
  for (const text of ['Your essay was graded', 'Office hours moved to 14:00']) {
    ids.push(await publishFrom(first.page, { target: 'user', ids: user, event: 'message.received', payload: { text, run } }));
  }
  const [older, newer] = ids;
  say(`published ${older} and ${newer} to ${user}`);
  for (const { page } of [first, second]) {
    await waitForInbox(page, { unread: 2, items: [[older, false], [newer, false]] }, 20_000);
  }
  const listed = (await inboxOf(second.page)).items.map(([id]) => id);
  assert.ok(listed.indexOf(newer) < listed.indexOf(older), 'newest first');
  assert.equal(await second.page.getByTestId('unread').getAttribute('class'), 'unread-badge', 'a badge that shows');

  // A click on an item on the first page marks it read on the second page too.
  await first.page.locator(`[data-testid=inbox-item][data-id="${older}"]`).click();
  const oneTook = await waitForInbox(second.page, { unread: 1, items: [[older, true], [newer, false]] }, 5_000);
  await waitForInbox(first.page, { unread: 1, items: [[older, true], [newer, false]] }, 5_000);
  say(`${older} marked read on ${first.node}: the page on ${second.node} showed it after ${oneTook} ms`);

  // "Mark all read" on the second page clears the badge on the first.
  await second.page.getByTestId('mark-all-read').click();
  const allTook = await waitForInbox(first.page, { unread: 0, items: [[older, true], [newer, true]] }, 5_000);
  await waitForInbox(second.page, { unread: 0, items: [[older, true], [newer, true]] }, 5_000);
  assert.equal(await first.page.getByTestId('unread').getAttribute('class'), 'unread-badge zero');
  assert.ok(await first.page.getByTestId('mark-all-read').isDisabled(), 'nothing left to mark');
  say(`everything marked read on ${second.node}: the badge on ${first.node} went to 0 after ${allTook} ms`);

  // One more, left unread.
  const latest = await publishFrom(second.page, { target: 'user', ids: user, event: 'grade.published', payload: { course: 'Chemistry', grade: 'B+', run } });
  for (const { page } of [first, second]) await waitForInbox(page, { unread: 1, items: [[latest, false]] }, 20_000);

  // A new device (a fresh browser context: no cursor) lists the history from the inbox with its read
  // state. Marks reach the inbox's stores through Kafka: wait (bounded) until the API lists them.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await inboxApi(PAGE_1, user);
    const read = new Map((answer.items ?? []).map((item) => [item.id, item.read]));
    if (read.get(older) === true && read.get(newer) === true && read.get(latest) === false) break;
    assert.ok(Date.now() < deadline, `the inbox API did not list the marks within 15 s: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const third = await openAs(PAGE_1, user, '', `${user} #3 (new device)`);
  await waitForInbox(third.page, { unread: 1, items: [[latest, false], [newer, true], [older, true]] }, 30_000);
  const history = (await inboxOf(third.page)).items.map(([id]) => id);
  assert.deepEqual(history.filter((id) => ids.includes(id) || id === latest), [latest, newer, older], 'newest first');
  assert.equal(await notice(third.page, older).count(), 0, 'history, not a live delivery: the feed is empty');
  assert.match(await third.page.getByTestId('log').textContent(), /inbox loaded: \d+ items?, 1 unread/);
  say(`a new device on ${third.node} listed ${user}'s history: ${latest} unread, ${newer} and ${older} read`);
  await third.page.screenshot({ path: join(RESULTS, `demo-inbox-${third.node}-new-device.png`), fullPage: true });
  await first.page.screenshot({ path: join(RESULTS, `demo-inbox-${first.node}.png`), fullPage: true });

  // Marking read on the new device reaches the two others.
  await third.page.locator(`[data-testid=inbox-item][data-id="${latest}"]`).click();
  for (const { page } of [first, second]) await waitForInbox(page, { unread: 0, items: [[latest, true]] }, 5_000);
  assert.deepEqual(problems.filter((p) => p.startsWith(user)), [], 'no page errors, console errors or off-machine requests');

  for (const { page } of [first, second, third]) {
    await page.getByTestId('disconnect').click();
    await page.getByTestId('state').filter({ hasText: /^closed$/ }).waitFor({ timeout: 10_000 });
  }
  for (const { context } of [first, second, third]) await context.close();
});

// Browser test of the demo page against a REAL local cluster (./tidings up, default ports): two
// headless Chromium pages, alice (group Class:201901) on gw-1's page and bob (no group) on gw-2's.
// A group notice reaches alice and not bob; a broadcast reaches both; alice resumes after a
// disconnect and after her browser went offline and came back. Screenshots go to test-results/.
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

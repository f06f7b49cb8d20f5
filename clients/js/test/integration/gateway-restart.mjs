// Integration test against a REAL local cluster (./tidings up): an SDK client survives the crash
// and restart of the gateway it is connected to without missing a notification, and receives
// each one exactly once after de-duplication.
//
//   TIDINGS_GATEWAYS=ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws   (default)
//   TIDINGS_PUBLISHER=http://127.0.0.1:8080                          (default)
//   TIDINGS_JWT_SECRET=...   sign tokens locally; without it, tokens come from the gateways' /dev/token
//   TIDINGS_KILL_SIGNAL=SIGKILL (default, a crash) or SIGTERM (a graceful stop)
//   node test/integration/gateway-restart.mjs        (npm run test:integration builds first)
//
// It kills the gateway process listening on the client's node port (checked to be a Tidings
// gateway: a process whose environment has TIDINGS_NODE_ID), starts it again with the same
// command line and environment as a child of this test, and stops that child at the end: after
// the test the cluster has one gateway fewer (restart `./tidings up` to get it back).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../dist/index.js';
import {
  GATEWAYS,
  PUBLISHER,
  httpBase,
  token,
  healthStatus,
  waitHealthy,
  publish,
  pidListeningOn,
  processRecipe,
  startFromRecipe,
  stopChild,
  waitGone,
  sleep,
  until,
} from '../support/cluster.mjs';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results');
// The restarted gateway's pid, for scripts/run-cluster-tests.sh to stop should this test die hard.
const PID_FILE = join(RESULTS, 'restarted-gateway.pid');
const KILL_SIGNAL = process.env.TIDINGS_KILL_SIGNAL || 'SIGKILL';
const say = (text) => console.log(`[gateway-restart] ${text}`);

let restarted; // the child process of the restarted gateway, stopped whatever happens
const clients = [];
async function cleanUp() {
  await Promise.allSettled(clients.map((c) => c.close()));
  if (restarted) {
    say(`stopping the restarted gateway (pid ${restarted.pid})`);
    await stopChild(restarted);
    restarted = undefined;
    rmSync(PID_FILE, { force: true });
  }
}
after(cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  if (restarted && restarted.exitCode === null) restarted.kill('SIGKILL');
});

test('a client survives the restart of its gateway without missing or repeating a notification', { timeout: 600_000 }, async () => {
  // ---- the cluster is there -------------------------------------------------------------------
  for (const base of [PUBLISHER, ...GATEWAYS.map(httpBase)]) {
    const status = await healthStatus(base);
    assert.equal(status, 200, `${base}/actuator/health answered ${status || 'nothing'}: is the cluster up (./tidings up)?`);
  }
  const run = randomBytes(4).toString('hex');
  const user = `it-${run}`;
  const group = `it-group-${run}`;
  const publisherToken = await token({ user: `it-publisher-${run}`, scope: 'notifications:publish' });
  say(`run ${run}: user ${user}, group ${group}, gateways ${GATEWAYS.join(' ')}, publisher ${PUBLISHER}`);

  // ---- the client under test ------------------------------------------------------------------
  const deliveries = new Map(); // id -> times handed to the listener
  const foreign = [];
  const nodes = [];
  const timeline = [];
  const mark = (text) => timeline.push(`${new Date().toISOString().slice(11, 23)} ${text}`);
  let tokenCalls = 0;
  const client = connect({
    url: GATEWAYS,
    token: async ({ reason }) => {
      tokenCalls++;
      mark(`token (${reason})`);
      return token({ user, groups: [group] });
    },
    backoff: { initialDelayMs: 250, maxDelayMs: 2000 },
  });
  clients.push(client);
  client.on('notification', (n) => {
    if (n.payload.run !== run) {
      foreign.push(n.id); // a broadcast from someone else sharing the cluster: not ours to count
      return;
    }
    deliveries.set(n.id, (deliveries.get(n.id) ?? 0) + 1);
  });
  const resumes = [];
  client.on('open', (e) => {
    nodes.push(e.node);
    mark(`open on ${e.node}${e.resuming ? ' (resuming)' : ''}`);
  });
  client.on('resumed', (e) => {
    resumes.push(e);
    mark(`resumed recovered=${e.recovered} replayed=${e.replayed}`);
  });
  client.on('closed', (e) => mark(`closed ${e.code}${e.reason ? ` ${e.reason}` : ''} willReconnect=${e.willReconnect}`));
  client.on('reconnecting', (e) => mark(`reconnecting to ${e.url} in ${e.delayMs} ms`));
  client.on('error', (e) => mark(`error ${e.code}: ${e.message}`));
  await client.whenOpen(30_000);
  const firstNode = client.node;
  const victimUrl = client.url;
  say(`connected to ${firstNode} at ${victimUrl}`);

  // ---- publishing: user, group and broadcast targets in turn, each id chosen here ----------------
  const published = [];
  let seq = 0;
  const targets = [{ type: 'user', ids: [user] }, { type: 'group', ids: [group] }, { type: 'broadcast' }];
  async function publishOne(phase) {
    seq++;
    const id = `it-${run}-${String(seq).padStart(4, '0')}`;
    const notification = {
      id,
      target: targets[seq % targets.length],
      event: `it.${phase}`,
      payload: { run, seq, phase },
    };
    await publish(publisherToken, notification);
    published.push(id);
  }
  async function publishBatch(count, phase, intervalMs) {
    for (let i = 0; i < count; i++) {
      await publishOne(phase);
      if (intervalMs) await sleep(intervalMs);
    }
  }
  const allArrived = (what, timeoutMs) =>
    until(() => published.every((id) => deliveries.has(id)), {
      timeoutMs,
      what: `${what}: ${published.filter((id) => !deliveries.has(id)).length} of ${published.length} not delivered`,
    });

  // Phase 1: steady state.
  await publishBatch(30, 'before', 20);
  await allArrived('phase 1', 30_000);
  say(`phase 1: ${published.length} published, all delivered`);

  // ---- kill the node the client is on ---------------------------------------------------------
  const port = Number(new URL(victimUrl).port);
  const pid = pidListeningOn(port);
  assert.ok(pid, `no process listens on port ${port}`);
  const recipe = processRecipe(pid);
  assert.equal(recipe.env.TIDINGS_NODE_ID, firstNode, `pid ${pid} on port ${port} is not gateway ${firstNode}`);
  const cursorBeforeKill = client.cursor;
  assert.ok(cursorBeforeKill, 'the client has a cursor');

  // Publish continuously through the crash, failover and restart.
  let publishing = true;
  let publishError;
  const background = (async () => {
    try {
      while (publishing) await publishBatch(1, 'during', 100);
    } catch (err) {
      publishError = err;
    }
  })();
  await sleep(500);
  const killedAt = Date.now();
  mark(`kill -${KILL_SIGNAL} ${pid} (${firstNode})`);
  say(`killing ${firstNode} (pid ${pid}) with ${KILL_SIGNAL} while publishing`);
  process.kill(pid, KILL_SIGNAL);
  assert.ok(await waitGone(pid, 30_000), `${firstNode} (pid ${pid}) did not exit`);

  let failoverMs;
  if (GATEWAYS.length > 1) {
    await until(() => client.state === 'open' && client.node !== firstNode && resumes.length > 0, {
      timeoutMs: 60_000,
      what: 'the client to resume on another node',
    });
    failoverMs = Date.now() - killedAt;
    say(`failover: open and resumed on ${client.node} ${failoverMs} ms after the kill (recovered=${resumes.at(-1).recovered})`);
  }

  // ---- restart the killed node with the same command line and environment -------------------
  const logFile = join(RESULTS, `${firstNode}-restarted.log`);
  restarted = startFromRecipe(recipe, logFile);
  writeFileSync(PID_FILE, String(restarted.pid));
  const restartedAt = Date.now();
  mark(`restarting ${firstNode} (pid ${restarted.pid}, log ${logFile})`);
  say(`restarting ${firstNode} as pid ${restarted.pid} (log ${logFile})`);
  await waitHealthy(httpBase(victimUrl), 240_000);
  say(`${firstNode} healthy again ${Date.now() - restartedAt} ms after its restart`);
  if (GATEWAYS.length === 1) {
    await until(() => client.state === 'open' && resumes.length > 0, { timeoutMs: 60_000, what: 'the client to resume' });
    failoverMs = Date.now() - killedAt;
  }
  publishing = false;
  await background;
  if (publishError) throw publishError;
  const duringCount = published.length - 30;

  // The restarted node serves a resume from before its crash: a second client, on that node only,
  // with the cursor the first client had when the node died, gets everything published since.
  const sinceKill = new Set(published.slice(30));
  const second = new Map();
  const secondResumes = [];
  const witness = connect({
    url: victimUrl,
    token: () => token({ user, groups: [group] }),
    cursor: cursorBeforeKill,
  });
  clients.push(witness);
  witness.on('notification', (n) => {
    if (n.payload.run === run) second.set(n.id, (second.get(n.id) ?? 0) + 1);
  });
  witness.on('resumed', (e) => secondResumes.push(e));
  await witness.whenOpen(30_000);
  assert.equal(witness.node, firstNode);
  await until(() => secondResumes.length > 0, { timeoutMs: 60_000, what: 'the second client to resume' });

  // Phase 3: after the restart.
  await publishBatch(30, 'after', 20);
  await allArrived('all phases', 60_000);
  await until(() => [...sinceKill].every((id) => second.has(id)), {
    timeoutMs: 30_000,
    what: 'the resumed client on the restarted node to get everything since the crash',
  });
  await sleep(1000); // let any late duplicate show itself

  // ---- verdict ----------------------------------------------------------------------------------
  const missing = published.filter((id) => !deliveries.has(id));
  const repeated = [...deliveries].filter(([, count]) => count !== 1);
  const unexpected = [...deliveries.keys()].filter((id) => !published.includes(id));
  const stats = client.stats;
  say(
    `published ${published.length} (${duringCount} during the outage), delivered ${deliveries.size}, ` +
      `missing ${missing.length}, delivered twice ${repeated.length}, duplicate frames dropped ${stats.duplicates}, ` +
      `frames ${stats.received}, connections ${stats.opens}, token calls ${tokenCalls}, nodes ${nodes.join(' -> ')}, ` +
      `failover ${failoverMs} ms, foreign broadcasts ignored ${foreign.length}`,
  );
  say(
    `second client on restarted ${firstNode}: resumed recovered=${secondResumes[0].recovered} ` +
      `replayed=${secondResumes[0].replayed}, has ${[...sinceKill].filter((id) => second.has(id)).length}/${sinceKill.size} ` +
      `published since the crash, duplicates dropped ${witness.stats.duplicates}`,
  );
  if (missing.length || repeated.length || unexpected.length) {
    console.log(timeline.join('\n'));
  }
  assert.deepEqual(missing, [], 'every published notification arrived');
  assert.deepEqual(repeated, [], 'each arrived exactly once after de-duplication');
  assert.deepEqual(unexpected, [], 'nothing arrived that was not published by this run');
  assert.ok(nodes.length >= 2, `the client reconnected (nodes: ${nodes.join(', ')})`);
  assert.ok(resumes.every((r) => r.recovered), 'every resume recovered the gap');
  assert.ok(secondResumes[0].recovered, 'the restarted node recovered the gap from before its crash');
  assert.ok(duringCount > 0, 'notifications were published while the node was down');
  for (const [id, count] of second) assert.equal(count, 1, `second client got ${id} ${count} times`);
});

// Helpers for tests against a real local Tidings cluster (`./tidings up`): configuration from
// the environment, tokens, publishing, health checks, and finding and restarting a gateway process.
import { createHmac, randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync, readlinkSync, closeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const GATEWAYS = (process.env.TIDINGS_GATEWAYS || 'ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
export const PUBLISHER = (process.env.TIDINGS_PUBLISHER || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SECRET = process.env.TIDINGS_JWT_SECRET || '';

/** The http(s) base of a gateway's ws(s) URL: ws://127.0.0.1:8081/ws -> http://127.0.0.1:8081 */
export function httpBase(wsUrl) {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 token signed with TIDINGS_JWT_SECRET (the same claims as the gateway's /dev/token). */
export function signToken({ user, groups = [], scope = '', ttlSeconds = 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url({ sub: user, groups, scope, iat: now, exp: now + ttlSeconds, jti: randomUUID() });
  const signature = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/**
 * A token: signed locally when TIDINGS_JWT_SECRET is set, else from a gateway's /dev/token
 * (tried in order, so a dead node does not matter).
 */
export async function token({ user, groups = [], scope = '' }) {
  if (SECRET) return signToken({ user, groups, scope });
  const query = new URLSearchParams({ user, groups: groups.join(','), scope });
  const failures = [];
  for (const gateway of GATEWAYS) {
    try {
      const response = await fetch(`${httpBase(gateway)}/dev/token?${query}`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return (await response.json()).token;
      failures.push(`${gateway}: HTTP ${response.status}`);
    } catch (err) {
      failures.push(`${gateway}: ${err.cause?.code ?? err.message}`);
    }
  }
  throw new Error(`no token: set TIDINGS_JWT_SECRET, or run the cluster with ./tidings up (${failures.join('; ')})`);
}

/** HTTP status of GET <base>/actuator/health, or 0 when nothing answers. */
export async function healthStatus(base) {
  try {
    const response = await fetch(`${base}/actuator/health`, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export async function waitHealthy(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await healthStatus(base);
    if (status === 200) return;
    await sleep(500);
  }
  throw new Error(`${base}/actuator/health did not answer 200 within ${timeoutMs} ms (last: ${status || 'no answer'})`);
}

/**
 * Publishes one notification with a client-chosen id (so a retry cannot duplicate it) and
 * returns the 202 body. Retries 429/503 and network errors a bounded number of times.
 */
export async function publish(publishToken, notification, { attempts = 5 } = {}) {
  let last;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(`${PUBLISHER}/api/v1/notifications`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${publishToken}` },
        body: JSON.stringify(notification),
        signal: AbortSignal.timeout(15_000),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 202) return body;
      last = `HTTP ${response.status} ${body.title ?? ''} ${body.detail ?? ''}`.trim();
      if (response.status !== 429 && response.status !== 503) break;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await sleep(200 * attempt);
  }
  throw new Error(`publish ${notification.id} failed: ${last}`);
}

/** The pid listening on a loopback TCP port (via ss), or undefined. */
export function pidListeningOn(port) {
  let out = '';
  try {
    out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

/** What it takes to start the same process again: its command line, environment and directory. */
export function processRecipe(pid) {
  const split = (path) => readFileSync(path, 'utf8').split('\0').filter(Boolean);
  const argv = split(`/proc/${pid}/cmdline`);
  const env = Object.fromEntries(
    split(`/proc/${pid}/environ`).map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
  return { pid, argv, env, cwd: readlinkSync(`/proc/${pid}/cwd`) };
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitGone(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  return !isAlive(pid);
}

/** Starts a process from a recipe, output to `logFile`; it is this process's child. */
export function startFromRecipe(recipe, logFile) {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const [command, ...args] = recipe.argv;
  const child = spawn(command, args, { cwd: recipe.cwd, env: recipe.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return child;
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child, graceMs = 20_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until truthy; rejects after `timeoutMs` with `what`. */
export async function until(fn, { timeoutMs, intervalMs = 50, what }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// The package as npm ships it: `npm pack` on a copy of the sources without dist/ (so prepack has to
// build), unpacked into a consumer's node_modules, then each entry point used as an application
// would: the ES module and the CommonJS entry each connect to a fake gateway, their type
// declarations compile in both module systems, and the minified browser bundle connects from a
// context that has only what a browser page has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import WebSocket from 'ws';
import { startFakeGateway } from '../support/fake-gateway.mjs';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repoRoot = join(pkgDir, '..', '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

let work;
let consumer;
let installed;
let files;
let gateway;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'tidings-pack-'));
  // The sources in the repository's layout (the build takes LICENSE from the repository root).
  const source = join(work, 'repo', 'clients', 'js');
  mkdirSync(source, { recursive: true });
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.cjs.json', 'src', 'scripts', 'README.md', 'CHANGELOG.md']) {
    cpSync(join(pkgDir, entry), join(source, entry), { recursive: true });
  }
  cpSync(join(repoRoot, 'LICENSE'), join(work, 'repo', 'LICENSE'));
  symlinkSync(join(pkgDir, 'node_modules'), join(source, 'node_modules'), 'dir');

  const out = join(work, 'out');
  mkdirSync(out);
  execFileSync('npm', ['pack', '--pack-destination', out, '--loglevel', 'error'], {
    cwd: source,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarballs = readdirSync(out).filter((name) => name.endsWith('.tgz'));
  assert.deepEqual(tarballs, [`tidings-client-${pkg.version}.tgz`]);
  const tarball = join(out, tarballs[0]);
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();

  consumer = join(work, 'app');
  installed = join(consumer, 'node_modules', '@tidings', 'client');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  // What an application on Node 20 adds itself: the optional peer `ws`, and types to compile against.
  symlinkSync(join(pkgDir, 'node_modules', 'ws'), join(consumer, 'node_modules', 'ws'), 'dir');
  symlinkSync(join(pkgDir, 'node_modules', '@types'), join(consumer, 'node_modules', '@types'), 'dir');

  gateway = await startFakeGateway({ node: 'gw-pack' });
});

after(async () => {
  await gateway?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs `node file` in the consumer app and returns what it printed; asynchronously, as the fake gateway runs here. */
async function runInApp(name, code) {
  writeFileSync(join(consumer, name), code);
  const { stdout } = await promisify(execFile)(process.execPath, [name], { cwd: consumer, encoding: 'utf8', timeout: 30_000 });
  return stdout.trim();
}

test('the tarball holds the built ESM, CommonJS, declarations, browser bundles, LICENSE and CHANGELOG, not the tests', () => {
  for (const file of [
    'package/package.json',
    'package/LICENSE',
    'package/README.md',
    'package/CHANGELOG.md',
    'package/dist/index.js',
    'package/dist/index.d.ts',
    'package/dist/client.js',
    'package/dist/client.d.ts',
    'package/dist/cjs/index.js',
    'package/dist/cjs/index.d.ts',
    'package/dist/cjs/package.json',
    'package/dist/browser/tidings.min.js',
    'package/dist/browser/tidings.min.mjs',
  ]) {
    assert.ok(files.includes(file), `${file} in the tarball: ${files.join(', ')}`);
  }
  assert.deepEqual(
    files.filter((file) => /^package\/(test|node_modules|scripts)\//.test(file) || file.includes('tsconfig')),
    [],
  );
});

test('the package declares its license, shipped as the repository LICENSE, its repository and a changelog entry', () => {
  const shipped = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(shipped.license, 'Apache-2.0');
  const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
  assert.equal(license, readFileSync(join(repoRoot, 'LICENSE'), 'utf8'));
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  assert.equal(shipped.repository.type, 'git');
  assert.equal(shipped.repository.directory, 'clients/js');
  assert.match(readFileSync(join(installed, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm'));
  assert.equal(shipped.scripts.prepack, 'npm run build');
});

test('the ES module entry connects to a gateway', async () => {
  const printed = await runInApp(
    'esm.mjs',
    `import { connect, CloseCode } from '@tidings/client';
import WebSocket from 'ws';
const client = connect({ url: ${JSON.stringify(gateway.url)}, token: 't', WebSocket });
const open = await client.whenOpen(10000);
await client.close();
console.log(JSON.stringify({ node: open.node, offline: CloseCode.OFFLINE, url: import.meta.resolve('@tidings/client') }));
`,
  );
  const result = JSON.parse(printed);
  assert.equal(result.node, 'gw-pack');
  assert.equal(result.offline, 4002);
  assert.match(result.url, /node_modules\/@tidings\/client\/dist\/index\.js$/);
});

test('the CommonJS entry connects to a gateway, finding ws by itself', async () => {
  const printed = await runInApp(
    'cjs.cjs',
    `const tidings = require('@tidings/client');
const client = tidings.connect({ url: ${JSON.stringify(gateway.url)}, token: 't' });
client.whenOpen(10000).then(async (open) => {
  await client.close();
  console.log(JSON.stringify({ node: open.node, path: require.resolve('@tidings/client'), exports: Object.keys(tidings).sort() }));
});
`,
  );
  const result = JSON.parse(printed);
  assert.equal(result.node, 'gw-pack');
  assert.match(result.path, /node_modules\/@tidings\/client\/dist\/cjs\/index\.js$/);
  for (const name of ['connect', 'TidingsClient', 'CloseCode', 'parseServerFrame', 'RecentIds', 'CLIENT_EVENTS']) {
    assert.ok(result.exports.includes(name), `${name} exported by the CommonJS entry: ${result.exports}`);
  }
});

test('the declarations type-check an ES module and a CommonJS consumer', () => {
  const usage = `
interface Grade { course: string }
const client = connect({ url: 'ws://127.0.0.1:1/ws', token: async ({ reason }: TokenContext) => reason, debug: true });
client.on<Grade>('grade.published', (n) => n.payload.course.toUpperCase());
// @ts-expect-error: Grade has no score
client.on<Grade>('grade.published', (n) => n.payload.score);
const code: number = CloseCode.OFFLINE;
void code;
`;
  writeFileSync(join(consumer, 'usage.mts'), `import { connect, CloseCode, type TokenContext } from '@tidings/client';\n${usage}`);
  writeFileSync(
    join(consumer, 'usage.cts'),
    `import tidings = require('@tidings/client');\nconst { connect, CloseCode } = tidings;\ntype TokenContext = tidings.TokenContext;\n${usage}`,
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: [], lib: ['ES2022', 'DOM'] },
      files: ['usage.mts', 'usage.cts'],
    }),
  );
  let trace;
  try {
    trace = execFileSync(process.execPath, [tsc, '-p', consumer, '--traceResolution'], { cwd: consumer, encoding: 'utf8' });
  } catch (error) {
    const errors = String(error.stdout).split('\n').filter((line) => line.includes('error TS'));
    assert.fail(`tsc refused the packed declarations:\n${errors.join('\n')}`);
  }
  assert.match(trace, /'@tidings\/client' was successfully resolved to '[^']*\/dist\/index\.d\.ts'/);
  assert.match(trace, /'@tidings\/client' was successfully resolved to '[^']*\/dist\/cjs\/index\.d\.ts'/);
});

test('the minified browser bundle defines the global Tidings and connects with only what a page has', async () => {
  const bundle = readFileSync(join(installed, 'dist', 'browser', 'tidings.min.js'), 'utf8');
  assert.ok(bundle.length < 30_000, `${bundle.length} bytes`);
  assert.doesNotMatch(bundle, /\n\s+\S/, 'minified');
  // A page's globals: WebSocket (here the ws class), URL, timers; no require, no process.
  const page = vm.createContext({
    WebSocket,
    URL,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    console,
    location: { href: gateway.url.replace('ws:', 'http:').replace('/ws', '/') },
  });
  vm.runInContext(bundle, page);
  assert.equal(typeof page.Tidings.connect, 'function');
  const client = page.Tidings.connect({ url: '/ws', token: 't' }); // relative, as on the demo page
  const open = await client.whenOpen(10_000);
  assert.equal(open.node, 'gw-pack');
  await client.close();
});

test('the browser ES module bundle exports the same API', async () => {
  const esm = await import(pathToFileURL(join(installed, 'dist', 'browser', 'tidings.min.mjs')).href);
  const main = await import(pathToFileURL(join(installed, 'dist', 'index.js')).href);
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(main).sort());
});

#!/usr/bin/env node
// Builds the package's files (npm run build; npm pack runs it through prepack):
//
//   dist/*.js, *.d.ts               ES modules and their types (tsc, tsconfig.json): the "import" entry
//   dist/cjs/*.js, *.d.ts           CommonJS and its types (tsc, tsconfig.cjs.json): the "require" entry,
//                                   with a package.json that marks the folder as CommonJS
//   dist/browser/tidings.min.js     one minified script for a <script> tag: the global `Tidings`
//   dist/browser/tidings.min.mjs    the same as one minified ES module, for <script type="module">
//   LICENSE                         the repository's LICENSE, which npm ships from the package folder
//
// Each output folder is written from scratch.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const { version } = require('../package.json');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.cjs.json')], { stdio: 'inherit' });
writeFileSync(join(dist, 'cjs', 'package.json'), '{\n  "type": "commonjs"\n}\n');

const banner = `/*! @tidings/client ${version} | Apache-2.0 */`;
const browser = {
  entryPoints: [join(root, 'src', 'index.ts')],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2022'],
  platform: 'browser',
  // Browsers have a WebSocket: the `ws` fallback of src/socket.ts stays an import that never runs.
  external: ['ws'],
  banner: { js: banner },
  logLevel: 'warning',
};
await build({ ...browser, format: 'iife', globalName: 'Tidings', outfile: join(dist, 'browser', 'tidings.min.js') });
await build({ ...browser, format: 'esm', outfile: join(dist, 'browser', 'tidings.min.mjs') });

const license = join(root, '..', '..', 'LICENSE');
if (!existsSync(license)) {
  throw new Error(`${license} is missing: the package ships the repository's LICENSE`);
}
copyFileSync(license, join(root, 'LICENSE'));
console.log(`built ${dist} (esm, cjs, browser) for @tidings/client ${version}`);

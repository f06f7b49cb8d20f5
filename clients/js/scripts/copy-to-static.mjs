#!/usr/bin/env node
// Ships the built SDK (dist/*.js, ES modules, no dependencies) to the demo page that every
// gateway serves: gateway-node/src/main/resources/static/sdk/. The copies are committed, so the
// page works offline and the Java build needs no Node. Run `npm run bundle:static` after changing
// src/; `npm test` fails while the copies are stale.
//
//   node scripts/copy-to-static.mjs           write the copies
//   node scripts/copy-to-static.mjs --check   exit 1 if they differ from dist/
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, '..', 'dist');
export const TARGET = join(here, '..', '..', '..', 'gateway-node', 'src', 'main', 'resources', 'static', 'sdk');

const HEADER = '// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.\n';

/** The files the static sdk/ folder should hold: name -> content. */
export function expectedFiles() {
  if (!existsSync(join(DIST, 'index.js'))) {
    throw new Error(`${DIST}/index.js is missing: run npm run build first`);
  }
  const files = new Map();
  for (const name of readdirSync(DIST).filter((n) => n.endsWith('.js')).sort()) {
    const source = readFileSync(join(DIST, name), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
    files.set(name, HEADER + source);
  }
  return files;
}

/** Names of files that are missing, differ, or should not be there. */
export function staleFiles() {
  const expected = expectedFiles();
  const stale = [];
  const present = existsSync(TARGET) ? readdirSync(TARGET) : [];
  for (const [name, content] of expected) {
    const path = join(TARGET, name);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(name);
  }
  for (const name of present) if (!expected.has(name)) stale.push(name);
  return stale;
}

function write() {
  const expected = expectedFiles();
  mkdirSync(TARGET, { recursive: true });
  for (const name of readdirSync(TARGET)) if (!expected.has(name)) rmSync(join(TARGET, name));
  for (const [name, content] of expected) writeFileSync(join(TARGET, name), content);
  console.log(`copied ${expected.size} files to ${TARGET}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length) {
      console.error(`stale demo-page SDK copies: ${stale.join(', ')} — run npm run bundle:static`);
      process.exit(1);
    }
    console.log('demo-page SDK copies are current');
  } else {
    write();
  }
}

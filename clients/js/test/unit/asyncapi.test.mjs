// docs/asyncapi.yaml, the WebSocket protocol for tools and code generators, is a valid AsyncAPI
// document that says what the code does: the frames the SDK parses, the client frames and error
// codes of the gateway's protocol package, and every close the gateway sends.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, fromFile } from '@asyncapi/parser';
import { parseServerFrame, CloseCode } from '../../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const DOC = join(root, 'docs', 'asyncapi.yaml');
const PROTOCOL = join(root, 'gateway-node', 'src', 'main', 'java', 'dev', 'tidings', 'gateway', 'protocol');
const SERVER_FRAMES = ['welcome', 'notification', 'resumed', 'pong', 'expiring', 'refreshed', 'read', 'error'];

let document;
let diagnostics;
before(async () => {
  ({ document, diagnostics } = await fromFile(new Parser(), DOC).parse());
});

const message = (name) => document.messages().all().find((m) => m.name() === name);
const schemaOf = (name) => message(name).payload().json();

test('docs/asyncapi.yaml parses as AsyncAPI with no errors or warnings', () => {
  // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
  const problems = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path?.join('.')}`);
  assert.deepEqual(problems, []);
  assert.ok(document, 'a document');
  assert.equal(document.version(), '3.1.0');
});

test('the messages the gateway sends are the frames the SDK parses, and every example parses', () => {
  const received = document.operations().all().filter((o) => o.action() === 'receive' && o.channels().all()[0].address() === '/ws')
    .flatMap((o) => o.messages().all().map((m) => m.name()));
  assert.deepEqual([...received].sort(), [...SERVER_FRAMES].sort());
  for (const name of SERVER_FRAMES) {
    assert.equal(schemaOf(name).properties.type.const, name, `${name}: type`);
    for (const example of message(name).examples().all()) {
      const frame = parseServerFrame(JSON.stringify(example.payload()));
      assert.ok(frame, `the SDK parses the ${name} example ${JSON.stringify(example.payload())}`);
      assert.equal(frame.type, name);
      for (const required of schemaOf(name).required) {
        assert.ok(required in example.payload(), `${name} example has ${required}`);
      }
    }
  }
});

test('the client frames and error codes are the gateway protocol package\'s', () => {
  const clientFrames = readFileSync(join(PROTOCOL, 'ClientFrames.java'), 'utf8');
  const javaFrames = [...clientFrames.matchAll(/case "([a-z_]+)" ->/g)].map((m) => m[1]).sort();
  const sent = document.operations().all().filter((o) => o.action() === 'send')
    .flatMap((o) => o.messages().all().map((m) => m.name())).sort();
  assert.deepEqual(sent, javaFrames);

  const errorCodes = readFileSync(join(PROTOCOL, 'ErrorCode.java'), 'utf8');
  const javaCodes = [...errorCodes.matchAll(/^\s+[A-Z_]+\("([a-z_]+)"\)/gm)].map((m) => m[1]).sort();
  assert.ok(javaCodes.length >= 4, `error codes found in ErrorCode.java: ${javaCodes}`);
  assert.deepEqual([...schemaOf('error').properties.code.enum].sort(), javaCodes);
});

test('every close the gateway sends is documented with its code and reason, and the SDK knows the codes', () => {
  const closeReason = readFileSync(join(PROTOCOL, 'CloseReason.java'), 'utf8');
  const javaCloses = [...closeReason.matchAll(/^\s+[A-Z_]+\((\d{4}), "([^"]+)"/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
  assert.ok(javaCloses.length >= 5, `closes found in CloseReason.java: ${javaCloses}`);
  const channel = document.channels().all().find((c) => c.address() === '/ws');
  const documented = channel.extensions().get('x-close-codes').value().map((c) => `${c.code} ${c.reason}`).sort();
  assert.deepEqual(documented, javaCloses);
  const sdkCodes = new Set(Object.values(CloseCode));
  for (const code of new Set(javaCloses.map((c) => Number(c.split(' ')[0])))) {
    if (code !== 1003) assert.ok(sdkCodes.has(code), `CloseCode names ${code}`);
  }
});

test('the event stream carries the server frames that make sense without a client frame, then close', () => {
  const streamed = document.operations().all().filter((o) => o.action() === 'receive' && o.channels().all()[0].address() === '/sse')
    .flatMap((o) => o.messages().all().map((m) => m.name())).sort();
  const withoutClientFrames = SERVER_FRAMES.filter((name) => name !== 'pong' && name !== 'refreshed');
  assert.deepEqual(streamed, [...withoutClientFrames, 'close'].sort());
  const close = message('close').examples().all()[0].payload();
  assert.equal(typeof close.code, 'number');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerFrame } from '../../dist/index.js';

test('parses the frames the gateway sends', () => {
  assert.deepEqual(parseServerFrame('{"type":"welcome","node":"gw-1","cursor":"abc"}'), {
    type: 'welcome',
    node: 'gw-1',
    cursor: 'abc',
  });
  const n = parseServerFrame(
    '{"type":"notification","id":"1","event":"e","payload":{"a":1},"target":{"type":"group","ids":["Class:201901"]},"publishedAt":"2025-01-01T00:00:00Z","cursor":"c"}',
  );
  assert.equal(n.id, '1');
  assert.deepEqual(n.target, { type: 'group', ids: ['Class:201901'] });
  assert.deepEqual(parseServerFrame('{"type":"resumed","recovered":false,"replayed":0}'), {
    type: 'resumed',
    recovered: false,
    replayed: 0,
  });
  assert.deepEqual(parseServerFrame('{"type":"pong"}'), { type: 'pong' });
  assert.deepEqual(parseServerFrame('{"type":"error","code":"bad_frame","message":"m"}'), {
    type: 'error',
    code: 'bad_frame',
    message: 'm',
  });
});

test('ignores what is not a well-formed frame', () => {
  for (const text of [
    'not json',
    '[]',
    'null',
    '{"type":1}',
    '{"type":"later-frame-type"}',
    '{"type":"welcome"}',
    '{"type":"notification","id":"","event":"e","payload":{},"target":{"type":"broadcast"},"publishedAt":"x"}',
    '{"type":"notification","id":"1","event":"e","payload":"text","target":{"type":"broadcast"},"publishedAt":"x"}',
    '{"type":"resumed","recovered":"yes","replayed":0}',
  ]) {
    assert.equal(parseServerFrame(text), null, text);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentIds } from '../../dist/index.js';

test('an id is new once, then a duplicate', () => {
  const ids = new RecentIds(10);
  assert.equal(ids.add('a'), true);
  assert.equal(ids.add('a'), false);
  assert.equal(ids.add('b'), true);
  assert.equal(ids.size, 2);
});

test('memory is bounded: the least recently seen id is forgotten first', () => {
  const ids = new RecentIds(3);
  ids.add('a');
  ids.add('b');
  ids.add('c');
  assert.equal(ids.add('a'), false); // a is now the most recent
  ids.add('d'); // evicts b
  assert.equal(ids.size, 3);
  assert.equal(ids.has('b'), false);
  assert.equal(ids.has('a'), true);
  assert.equal(ids.has('c'), true);
  assert.equal(ids.has('d'), true);
});

test('a long stream never holds more than the capacity', () => {
  const ids = new RecentIds(1000);
  for (let i = 0; i < 100_000; i++) ids.add(`id-${i}`);
  assert.equal(ids.size, 1000);
  assert.equal(ids.has('id-99999'), true);
  assert.equal(ids.has('id-98999'), false);
  assert.equal(ids.has('id-99000'), true);
});

test('the capacity must be a positive integer', () => {
  assert.throws(() => new RecentIds(0), RangeError);
  assert.throws(() => new RecentIds(1.5), RangeError);
});

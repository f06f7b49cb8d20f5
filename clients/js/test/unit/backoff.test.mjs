import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffCeiling, backoffOptions, fullJitterDelay, DEFAULT_BACKOFF } from '../../dist/index.js';

test('the ceiling doubles from the initial delay and stops at the maximum', () => {
  const options = backoffOptions({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 });
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(n, options)),
    [100, 200, 400, 800, 1000, 1000, 1000],
  );
});

test('the ceiling never overflows, however many attempts', () => {
  assert.equal(backoffCeiling(10_000, DEFAULT_BACKOFF), DEFAULT_BACKOFF.maxDelayMs);
  assert.equal(backoffCeiling(Number.MAX_SAFE_INTEGER, DEFAULT_BACKOFF), DEFAULT_BACKOFF.maxDelayMs);
  assert.equal(backoffCeiling(-3, DEFAULT_BACKOFF), DEFAULT_BACKOFF.initialDelayMs);
});

test('full jitter stays within [0, ceiling] and reaches both ends', () => {
  const options = backoffOptions({ initialDelayMs: 500, maxDelayMs: 30_000 });
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = backoffCeiling(attempt, options);
    assert.equal(fullJitterDelay(attempt, options, () => 0), 0);
    assert.equal(fullJitterDelay(attempt, options, () => 0.9999999999), ceiling);
    for (let i = 0; i < 2000; i++) {
      const delay = fullJitterDelay(attempt, options);
      assert.ok(delay >= 0 && delay <= ceiling, `attempt ${attempt}: ${delay} outside [0, ${ceiling}]`);
    }
  }
});

test('full jitter spreads clients: the mean is about half the ceiling', () => {
  const options = backoffOptions({ initialDelayMs: 1000, maxDelayMs: 1000 });
  let sum = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) sum += fullJitterDelay(0, options);
  const mean = sum / n;
  assert.ok(mean > 450 && mean < 550, `mean ${mean}`);
});

test('a broken random source cannot push the delay out of bounds', () => {
  const options = backoffOptions({ initialDelayMs: 100, maxDelayMs: 100 });
  assert.equal(fullJitterDelay(0, options, () => 5), 100);
  assert.equal(fullJitterDelay(0, options, () => -1), 0);
  assert.equal(fullJitterDelay(0, options, () => NaN), 100);
});

test('bad options are refused', () => {
  assert.throws(() => backoffOptions({ initialDelayMs: -1 }), RangeError);
  assert.throws(() => backoffOptions({ initialDelayMs: 1000, maxDelayMs: 10 }), RangeError);
  assert.throws(() => backoffOptions({ multiplier: 0.5 }), RangeError);
  assert.deepEqual(backoffOptions({ initialDelayMs: undefined }), DEFAULT_BACKOFF);
});

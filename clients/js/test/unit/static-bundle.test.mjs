import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staleFiles } from '../../scripts/copy-to-static.mjs';

test('the SDK copy the demo page loads (gateway static/sdk) matches this build', () => {
  assert.deepEqual(staleFiles(), [], 'run `npm run bundle:static` and commit gateway-node/src/main/resources/static/sdk');
});

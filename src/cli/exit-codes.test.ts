import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EXIT, exitCodeFor } from './exit-codes.ts';

// The codes are a documented contract: a refused leader write is infrastructure (3), like an
// unavailable coordinator, so scripts retry it rather than treat it as a usage error.
void it('exits 3 (unavailable) for a FENCED write, as for UNAVAILABLE and STORAGE_FULL', () => {
  assert.equal(EXIT.unavailable, 3);
  for (const code of ['FENCED', 'UNAVAILABLE', 'STORAGE_FULL'] as const)
    assert.equal(exitCodeFor(code), EXIT.unavailable, code);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { degradedResult, downResult, nodeErrorResult, upResult } from '../../checks/outcome.ts';
import { EXIT } from '../exit-codes.ts';
import { checkExitCode } from './check.ts';

describe('crosscheck check exit codes', () => {
  it('0 up or degraded, 1 the target down, 8 this node could not check', () => {
    assert.equal(checkExitCode(upResult(1, 'ok')), EXIT.ok);
    assert.equal(checkExitCode(degradedResult(1, 'slow')), EXIT.ok);
    assert.equal(checkExitCode(downResult('refused', 1, 'connection refused')), EXIT.down);
    const noPing = nodeErrorResult(1, 'ping is not installed on this node');
    assert.equal(checkExitCode(noPing), EXIT.nodeError);
    assert.equal(EXIT.nodeError, 8);
    assert.ok(
      !Object.entries(EXIT).some(([name, code]) => name !== 'nodeError' && code === 8),
      'no other meaning shares 8',
    );
  });
});

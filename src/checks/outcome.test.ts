import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyNetworkError, downResult, nodeErrorResult, nodeFaultOf } from './outcome.ts';

const errno = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });

describe('node faults: errno → error kind', () => {
  it('a spent node (EMFILE, ENFILE, ENOMEM, ENOBUFS) is the node’s fault whatever the check did', () => {
    assert.equal(nodeFaultOf(errno('EMFILE')), 'too many open files on this node (EMFILE)');
    assert.match(nodeFaultOf(errno('ENFILE')) ?? '', /ENFILE/);
    assert.match(nodeFaultOf(errno('ENOMEM')) ?? '', /out of memory/);
    assert.match(nodeFaultOf(errno('ENOBUFS')) ?? '', /ENOBUFS/);
    assert.deepEqual(classifyNetworkError(errno('EMFILE')), {
      kind: 'node',
      message: 'too many open files on this node (EMFILE)',
    });
  });

  it('a missing or forbidden program is the node’s fault only when starting it', () => {
    assert.equal(nodeFaultOf(errno('ENOENT'), 'ping'), 'ping is not installed on this node');
    assert.equal(nodeFaultOf(errno('EACCES'), 'ping'), 'no permission to run ping');
    assert.equal(nodeFaultOf(errno('EPERM'), 'ping'), 'no permission to run ping');
    assert.equal(nodeFaultOf(errno('EAGAIN'), 'ping'), 'could not start ping (EAGAIN)');
    assert.equal(nodeFaultOf(errno('ENOENT')), null);
    assert.equal(nodeFaultOf(errno('EACCES')), null);
  });

  it('target-side errors stay the target’s', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAGAIN'])
      assert.equal(nodeFaultOf(errno(code)), null, code);
    assert.equal(classifyNetworkError(errno('ECONNREFUSED')).kind, 'refused');
    assert.equal(nodeFaultOf(new Error('no code')), null);
  });

  it('kind node always makes an error result, never down', () => {
    const viaDown = downResult('node', 3.14159, 'too many open files on this node (EMFILE)');
    assert.equal(viaDown.status, 'error');
    assert.equal(viaDown.errorKind, 'node');
    assert.equal(viaDown.latencyMs, 3.14);
    const direct = nodeErrorResult(1, 'ping is not installed on this node', { reason: 'ENOENT' });
    assert.deepEqual(
      [direct.status, direct.errorKind, direct.details.reason],
      ['error', 'node', 'ENOENT'],
    );
    assert.equal(downResult('refused', 1, 'connection refused').status, 'down');
  });
});

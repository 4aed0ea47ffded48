import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ClusterNode, JoinTokenKind, NodeRole } from '../../domain/node.ts';
import { AppError } from '../../lib/errors.ts';
import { makeNode } from '../../store/contract/cluster.ts';
import { assertSharedDatabase, assertTokenFits, caKeyRefusal } from './coordinator-enrolment.ts';

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error.code;
  }
}

describe('who may become a coordinator', () => {
  it('a coordinator token only on PostgreSQL; SQLite is a CONFLICT pointing at the docs', () => {
    assert.equal(
      codeOf(() => assertSharedDatabase('postgres')),
      undefined,
    );
    assert.throws(
      () => assertSharedDatabase('sqlite'),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'CONFLICT' &&
        /SQLite/.test(error.message) &&
        /docs\/postgresql\.md/.test(error.message),
    );
  });

  it('a token enrols exactly the role it was made for, else FORBIDDEN naming the right command', () => {
    const kinds: readonly JoinTokenKind[] = ['agent', 'coordinator'];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.constantFrom<NodeRole>('agent', 'coordinator'),
        (kind, role) => {
          const code = codeOf(() => assertTokenFits(kind, role));
          assert.equal(code, kind === role ? undefined : 'FORBIDDEN');
        },
      ),
    );
    assert.throws(() => assertTokenFits('agent', 'coordinator'), /join-token --coordinator/);
    assert.throws(() => assertTokenFits('coordinator', 'agent'), /coordinator join/);
  });
});

describe('who may receive the CA key', () => {
  const coordinator = makeNode('c2', { role: 'coordinator', certSerial: 'ab12' });
  const asker = { nodeId: 'c2', serial: 'ab12' };

  it('an active coordinator presenting its enrolled certificate (serial case aside)', () => {
    assert.equal(caKeyRefusal(coordinator, asker), undefined);
    assert.equal(caKeyRefusal(coordinator, { nodeId: 'c2', serial: 'AB12' }), undefined);
  });

  it('nobody else: unknown, removed, an agent, or another certificate of the node', () => {
    const cases: [ClusterNode | undefined, string][] = [
      [undefined, 'no such node'],
      [{ ...coordinator, removedAt: 1 }, 'removed'],
      [{ ...coordinator, role: 'agent' }, 'not a coordinator'],
      [{ ...coordinator, certSerial: 'ff00' }, 'not the one'],
    ];
    for (const [node, reason] of cases)
      assert.match(caKeyRefusal(node, asker) ?? '', new RegExp(reason));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_EVENTS, sampleOutgoing } from '../../testing/sample-alerts.ts';
import { matrixContent, matrixTransactionId } from './index.ts';

describe('matrix', () => {
  it('derives the same path-safe transaction id for the same delivery, another for another', () => {
    const id = matrixTransactionId('mon-api:inc-1:down:target-1');
    assert.equal(id, matrixTransactionId('mon-api:inc-1:down:target-1'));
    assert.notEqual(id, matrixTransactionId('mon-api:inc-1:recovered:target-1'));
    assert.match(id, /^[A-Za-z0-9-]+$/);
  });

  it('replies to the opening event only when the reference is an event id', () => {
    const recovered = SAMPLE_EVENTS.recovered;
    assert.ok('m.relates_to' in matrixContent(sampleOutgoing(recovered, '$abc:example.org')));
    assert.ok(!('m.relates_to' in matrixContent(sampleOutgoing(recovered, '42'))));
  });

  it('keeps a huge alert under the event size limit', () => {
    const content = JSON.stringify(matrixContent(sampleOutgoing(SAMPLE_EVENTS.huge)));
    assert.ok(Buffer.byteLength(content) < 65_536);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Monitor } from '../domain/monitor.ts';
import { agentRuns, coordinatorOnly, monitorsFor, selectorMatches } from './assignment.ts';

const node = (region: string | null, labels: Record<string, string> = {}) => ({ region, labels });

describe('selectorMatches', () => {
  it('matches every node with the empty selector', () => {
    assert.equal(selectorMatches({ regions: [], labels: {} }, node(null)), true);
    assert.equal(selectorMatches({ regions: [], labels: {} }, node('eu', { a: 'b' })), true);
  });

  it('needs the node region to be listed', () => {
    const selector = { regions: ['eu', 'us'], labels: {} };
    assert.equal(selectorMatches(selector, node('eu')), true);
    assert.equal(selectorMatches(selector, node('ap')), false);
    assert.equal(selectorMatches(selector, node(null)), false);
  });

  it('needs every label with the same value', () => {
    const selector = { regions: [], labels: { tier: 'edge', isp: 'a' } };
    assert.equal(selectorMatches(selector, node('eu', { tier: 'edge', isp: 'a', x: 'y' })), true);
    assert.equal(selectorMatches(selector, node('eu', { tier: 'edge' })), false);
    assert.equal(selectorMatches(selector, node('eu', { tier: 'core', isp: 'a' })), false);
  });

  it('adding a label condition never widens the set of matching nodes', () => {
    const text = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 3 }),
        fc.dictionary(text, text, { maxKeys: 3 }),
        fc.option(text, { nil: null }),
        fc.dictionary(text, text, { maxKeys: 3 }),
        text,
        text,
        (regions, labels, region, nodeLabels, key, value) => {
          const n = node(region, nodeLabels);
          const narrower = selectorMatches({ regions, labels: { ...labels, [key]: value } }, n);
          if (narrower && !(key in labels))
            assert.equal(selectorMatches({ regions, labels }, n), true);
          if (narrower) assert.equal(n.labels[key], value);
        },
      ),
    );
  });
});

describe('coordinator-only monitors', () => {
  it('never assigns a push monitor to an agent, whatever its selector', () => {
    const base = { nodes: { regions: [], labels: {} } } as const;
    const push = { ...base, id: 'p', type: 'push' } as unknown as Monitor;
    const http = { ...base, id: 'h', type: 'http' } as unknown as Monitor;
    assert.equal(coordinatorOnly(push), true);
    assert.equal(coordinatorOnly(http), false);
    assert.equal(agentRuns(push, node('eu')), false);
    assert.deepEqual(
      monitorsFor([push, http], node('eu')).map((m) => m.id),
      ['h'],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { selectorMatches } from './assignment.ts';

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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAGE_DELAY_MAX_MS, PAGE_DELAY_MIN_MS } from '../../domain/alert-target.ts';
import { targetRouteSchema } from '../../domain/monitor-schema.ts';
import { ruleInputSchema } from './target-input.ts';

// Rules (alerts route add) and stored monitor routes bound repeat and escalation delays alike.
describe('repeat and escalation delays', () => {
  const rule = (timing: Record<string, number>) =>
    ruleInputSchema.safeParse({ scope: 'tag', value: 'web', target: 'ops-slack', ...timing });
  const route = (timing: Record<string, number>) =>
    targetRouteSchema.safeParse({ target: 'ops-slack', ...timing });

  for (const key of ['repeatEveryMs', 'escalateAfterMs']) {
    it(`${key}: 10 s is the shortest, 7 days the longest, for rules and monitor routes`, () => {
      assert.equal(PAGE_DELAY_MIN_MS, 10_000);
      for (const parse of [rule, route]) {
        assert.equal(parse({ [key]: PAGE_DELAY_MIN_MS }).success, true);
        assert.equal(parse({ [key]: PAGE_DELAY_MAX_MS }).success, true);
        assert.equal(parse({ [key]: PAGE_DELAY_MIN_MS - 1 }).success, false);
        assert.equal(parse({ [key]: PAGE_DELAY_MAX_MS + 1 }).success, false);
      }
    });
  }
});

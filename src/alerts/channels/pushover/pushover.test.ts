import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_EVENTS, sampleOutgoing } from '../../testing/sample-alerts.ts';
import { pushoverForm, pushoverPriority } from './index.ts';

const settings = {
  apiUrl: 'https://api.pushover.net',
  token: 'a'.repeat(30),
  user: 'u'.repeat(30),
};

describe('pushover', () => {
  it('maps severity to priority: outages high, retractions quiet, recoveries normal', () => {
    assert.equal(pushoverPriority('critical'), 1);
    assert.equal(pushoverPriority('warning'), 0);
    assert.equal(pushoverPriority('info'), -1);
    assert.equal(pushoverPriority('ok'), 0);
  });

  it('sends the incident link as the url field, not in the text', () => {
    const form = pushoverForm(sampleOutgoing(SAMPLE_EVENTS.down), settings);
    assert.equal(form['priority'], '1');
    assert.match(form['url'] ?? '', /^https:\/\/crosscheck\.test\/incidents\//);
    assert.ok(!(form['message'] ?? '').includes('https://crosscheck.test'));
    assert.equal(pushoverForm(sampleOutgoing(SAMPLE_EVENTS.retracted), settings)['priority'], '-1');
  });
});

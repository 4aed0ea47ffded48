import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_EVENTS, sampleOutgoing } from '../../testing/sample-alerts.ts';
import { composeAlertMail, subjectOf } from './compose.ts';
import { emailSettingsSchema } from './settings.ts';

const base = { host: 'smtp.example.test', from: 'a@example.test', to: ['b@example.test'] };

function issuesOf(input: unknown): string[] {
  const result = emailSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('email settings', () => {
  it('defaults to STARTTLS with the [Crosscheck] prefix', () => {
    const parsed = emailSettingsSchema.parse(base);
    assert.equal(parsed.security, 'starttls');
    assert.equal(parsed.subjectPrefix, '[Crosscheck]');
  });

  it('allows security "none" only with the explicit flag', () => {
    assert.deepEqual(issuesOf({ ...base, security: 'none' }), [
      'security: security "none" sends the password and mail in clear; set allowUnencrypted: true',
    ]);
    assert.deepEqual(issuesOf({ ...base, security: 'none', allowUnencrypted: true }), []);
  });

  it('wants a user name and password together, and 1 to 50 recipients', () => {
    assert.deepEqual(issuesOf({ ...base, username: 'u' }), [
      'password: username and password must be set together',
    ]);
    assert.equal(issuesOf({ ...base, to: [] }).length, 1);
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.test`);
    assert.deepEqual(issuesOf({ ...base, to: many }), ['to: must name at most 50 recipients']);
    assert.equal(issuesOf({ ...base, to: ['not an address'] }).length, 1);
  });
});

describe('alert mail composition', () => {
  const options = { subjectPrefix: '[CC]', fromAddress: 'alerts@Example.TEST' };

  it('gives each delivery its own Message-ID in the sender domain, anchored on the dedup key', () => {
    const down = composeAlertMail(sampleOutgoing(SAMPLE_EVENTS.down), options);
    assert.match(down.messageId, /^<crosscheck-mon-api-inc-0193a1\.[0-9a-f]{16}@example\.test>$/);
    assert.deepEqual(down.references, ['<crosscheck-mon-api-inc-0193a1@example.test>']);
    assert.equal(down.inReplyTo, null);
    assert.equal(down.subject, '[CC] DOWN: Checkout API');
  });

  it('replies to the opening mail on recovery, or to the anchor when the opening is unknown', () => {
    const down = composeAlertMail(sampleOutgoing(SAMPLE_EVENTS.down), options);
    const recovered = composeAlertMail(
      sampleOutgoing(SAMPLE_EVENTS.recovered, down.messageId),
      options,
    );
    assert.equal(recovered.inReplyTo, down.messageId);
    assert.deepEqual(recovered.references, [down.references[0], down.messageId]);
    assert.notEqual(recovered.messageId, down.messageId);
    const orphan = composeAlertMail(sampleOutgoing(SAMPLE_EVENTS.recovered, null), options);
    assert.equal(orphan.inReplyTo, down.references[0]);
  });

  it('keeps subjects on one bounded line', () => {
    assert.equal(subjectOf('a\r\nBcc: x@y.test', ''), 'a Bcc: x@y.test');
    assert.equal(Array.from(subjectOf('x'.repeat(5000), '[P]')).length, 200);
  });
});

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../kit/http-sender.ts';
import { redactSettings } from '../../kit/secrets.ts';
import { webhookSettingsSchema } from './settings.ts';
import { webhookChannel } from './index.ts';
import { signWebhookBody } from './signature.ts';

function issuesOf(input: unknown): string[] {
  const result = webhookSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('webhook settings', () => {
  it('accepts a minimal and a full route', () => {
    assert.deepEqual(issuesOf({ url: 'https://hooks.test/alert' }), []);
    assert.deepEqual(
      issuesOf({
        url: 'http://127.0.0.1:8080/hook',
        secret: '0123456789abcdef',
        headers: { Authorization: 'Bearer t' },
        timeoutMs: 2000,
      }),
      [],
    );
  });

  it('rejects non-HTTP URLs, credentials in the URL, short secrets and unknown keys', () => {
    assert.deepEqual(issuesOf({ url: 'ftp://files.test/x' }), [
      'url: must be an http:// or https:// URL',
    ]);
    assert.deepEqual(issuesOf({ url: 'https://user:pw@hooks.test/' }), [
      'url: must not contain a user or password; put credentials in headers.Authorization',
    ]);
    assert.deepEqual(issuesOf({ url: 'https://hooks.test/', secret: 'short' }), [
      'secret: must be at least 16 characters',
    ]);
    assert.equal(issuesOf({ url: 'https://hooks.test/', verbose: true }).length, 1);
  });

  it('rejects headers Crosscheck sets itself and values with line breaks', () => {
    assert.deepEqual(
      issuesOf({ url: 'https://hooks.test/', headers: { 'X-Crosscheck-Event': 'x' } }),
      ['headers.X-Crosscheck-Event: is set by Crosscheck and cannot be overridden'],
    );
    assert.equal(
      issuesOf({ url: 'https://hooks.test/', headers: { 'Content-Type': 'text/plain' } }).length,
      1,
    );
    assert.deepEqual(issuesOf({ url: 'https://hooks.test/', headers: { 'X-A': 'a\r\nX-B: b' } }), [
      'headers.X-A: must not contain line breaks',
    ]);
    assert.equal(issuesOf({ url: 'https://hooks.test/', headers: { 'bad name': 'v' } }).length, 1);
  });

  it('accepts a valid body template with a content type', () => {
    assert.deepEqual(
      issuesOf({
        url: 'https://hooks.test/',
        bodyTemplate: '{"text": {{ title | json }}}',
        contentType: 'application/vnd.api+json; charset=utf-8',
      }),
      [],
    );
  });

  it('reports body template syntax errors with line and column', () => {
    assert.deepEqual(
      issuesOf({ url: 'https://hooks.test/', bodyTemplate: '{\n  "text": {{ title | loud }}\n}' }),
      ['bodyTemplate: line 2, column 11: undefined filter: loud'],
    );
    assert.deepEqual(issuesOf({ url: 'https://hooks.test/', bodyTemplate: '{% if x %}' }), [
      'bodyTemplate: line 1, column 1: tag {% if x %} not closed',
    ]);
  });

  it('rejects a content type without a body template, or one with line breaks', () => {
    assert.deepEqual(issuesOf({ url: 'https://hooks.test/', contentType: 'text/plain' }), [
      'contentType: only applies with bodyTemplate (the event JSON is always application/json)',
    ]);
    assert.deepEqual(
      issuesOf({
        url: 'https://hooks.test/',
        bodyTemplate: 'x',
        contentType: 'text/plain\r\nX-Evil: 1',
      }),
      ['contentType: must be a media type such as application/json'],
    );
  });

  it('redacts the secret, header values and query values but keeps the rest readable', () => {
    const shown = redactSettings(webhookChannel.secrets, {
      url: 'https://hooks.test/a/b?token=abc123&x=1',
      secret: '0123456789abcdef',
      headers: { Authorization: 'Bearer t0ken' },
      timeoutMs: 2000,
    });
    assert.deepEqual(shown, {
      url: 'https://hooks.test/a/b?token=***&x=***',
      secret: '***',
      headers: { Authorization: '***' },
      timeoutMs: 2000,
    });
    assert.deepEqual(redactSettings(webhookChannel.secrets, { url: 'https://hooks.test/' }), {
      url: 'https://hooks.test/',
    });
  });
});

describe('webhook signature', () => {
  it('is sha256= HMAC-SHA256 of "<timestamp>.<raw body>" in hex', () => {
    const body = '{"kind":"down"}';
    const expected = createHmac('sha256', 'k'.repeat(16))
      .update(`1767225600.${body}`)
      .digest('hex');
    assert.equal(signWebhookBody('k'.repeat(16), 1767225600, body), `sha256=${expected}`);
    assert.notEqual(signWebhookBody('k'.repeat(16), 1767225601, body), `sha256=${expected}`);
  });
});

describe('Retry-After', () => {
  it('reads delay seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30_000);
    assert.equal(parseRetryAfter(new Date(now - 30_000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});

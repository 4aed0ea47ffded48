import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import {
  findChannel,
  listChannels,
  parseAlertRoute,
  parseAlertRoutes,
  redactAlertRoute,
} from './registry.ts';
import { ALERT_CHANNELS } from './types.ts';

function validationIssues(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'VALIDATION');
    return [...error.issues];
  }
  assert.fail('expected a validation error');
}

describe('alert channel registry', () => {
  it('has one definition per channel name, under its own name', () => {
    assert.deepEqual(
      listChannels().map((channel) => channel.name),
      [...ALERT_CHANNELS],
    );
    for (const name of ALERT_CHANNELS) assert.equal(findChannel(name)?.name, name);
    assert.equal(findChannel('carrier-pigeon'), undefined);
  });

  it('every channel has tests against a real receiver in its folder', () => {
    for (const name of ALERT_CHANNELS) {
      const folder = path.join(import.meta.dirname, 'channels', name);
      const itests = fs.readdirSync(folder).filter((f) => f.endsWith('.itest.ts'));
      assert.ok(itests.length > 0, `src/alerts/channels/${name} has no *.itest.ts`);
    }
  });

  it('returns the parsed settings of a valid route', () => {
    assert.deepEqual(parseAlertRoute('webhook', { url: 'https://hooks.test/x' }), {
      channel: 'webhook',
      settings: { url: 'https://hooks.test/x' },
    });
  });

  it('reports settings problems with their full field path', () => {
    const issues = validationIssues(() =>
      parseAlertRoute('webhook', { url: 'ftp://x', secret: 'short' }),
    );
    assert.deepEqual(issues, [
      { path: 'alerts[0].settings.url', message: 'must be an http:// or https:// URL' },
      { path: 'alerts[0].settings.secret', message: 'must be at least 16 characters' },
    ]);
    const error = (() => {
      try {
        parseAlertRoute('webhook', {}, 'alerts[3]');
      } catch (caught) {
        return caught as AppError;
      }
      return undefined;
    })();
    assert.match(error?.message ?? '', /^alerts\[3\]\.settings\.url: /);
  });

  it('rejects an unknown channel naming the known ones', () => {
    assert.deepEqual(
      validationIssues(() => parseAlertRoute('sms', {})),
      [{ path: 'alerts[0].channel', message: 'must be one of: webhook' }],
    );
  });

  it('collects the problems of every route at once', () => {
    const issues = validationIssues(() =>
      parseAlertRoutes([
        { channel: 'webhook', settings: { url: 'https://ok.test/' } },
        { channel: 'pager' },
        { channel: 'webhook', settings: { url: 'https://ok.test/', headers: { Host: 'x' } } },
      ]),
    );
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ['alerts[1].channel', 'alerts[2].settings.headers.Host'],
    );
  });

  it('redacts a stored route for display and hides settings it cannot read', () => {
    assert.deepEqual(
      redactAlertRoute({
        channel: 'webhook',
        settings: { url: 'https://h.test/', secret: 'x'.repeat(16) },
      }),
      {
        channel: 'webhook',
        settings: { url: 'https://h.test/', secret: '***' },
      },
    );
    assert.deepEqual(
      redactAlertRoute({ channel: 'webhook', settings: { secret: 'x'.repeat(16) } }),
      {
        channel: 'webhook',
        settings: {},
      },
    );
    assert.deepEqual(redactAlertRoute({ channel: 'gone', settings: { token: 't' } }), {
      channel: 'gone',
      settings: {},
    });
  });
});

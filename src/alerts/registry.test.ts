import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import {
  findChannel,
  ALERT_CHANNEL_TYPES,
  listChannels,
  parseAlertRoute,
  parseAlertRoutes,
  redactAlertRoute,
} from './registry.ts';

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
    const types = listChannels().map((channel) => channel.type);
    assert.equal(new Set(types).size, types.length, 'channel types are unique');
    assert.deepEqual(types, [...ALERT_CHANNEL_TYPES]);
    for (const type of ALERT_CHANNEL_TYPES) assert.equal(findChannel(type)?.type, type);
    assert.equal(findChannel('carrier-pigeon'), undefined);
  });

  it('every channel lives in the folder named after its type, with a contract fixture', () => {
    for (const type of ALERT_CHANNEL_TYPES) {
      const folder = path.join(import.meta.dirname, 'channels', type);
      assert.ok(
        fs.existsSync(path.join(folder, 'index.ts')),
        `src/alerts/channels/${type}/index.ts`,
      );
      assert.ok(
        fs.existsSync(path.join(folder, 'fixture.ts')),
        `src/alerts/channels/${type}/fixture.ts`,
      );
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
      [{ path: 'alerts[0].channel', message: `must be one of: ${ALERT_CHANNEL_TYPES.join(', ')}` }],
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

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { presentPlan } from '../present.ts';
import type { ImportPlan } from '../types.ts';
import { uptimeKumaImporter } from './index.ts';
import { jsonataToJsonPath, KUMA_MONITOR_TYPES } from './monitor-types.ts';
import { KUMA_NOTIFICATIONS } from './notifications.ts';
import {
  KUMA_MONITORS_FIXTURE,
  KUMA_NOTIFICATIONS_FIXTURE,
  KUMA_SECRETS,
} from './testing/fixtures.ts';
import { kumaBackupJson, writeKumaDatabase } from './testing/fixture-files.ts';

// The Uptime Kuma importer on fixtures written after Uptime Kuma 2.0's SQLite schema (its
// SQL patches and knex migrations) and 1.23's backup JSON (`Monitor.toJSON()`), read by the
// real readers: every mapped monitor type and notification, and every reported kind.

const plan = (file: string): ImportPlan => uptimeKumaImporter.map(uptimeKumaImporter.read(file));

let dir: string;
const plans: Record<string, ImportPlan> = {};

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuma-import-'));
  const db = path.join(dir, 'kuma.db');
  writeKumaDatabase(db);
  const backup = path.join(dir, 'backup.json');
  fs.writeFileSync(backup, JSON.stringify(kumaBackupJson()));
  plans['Uptime Kuma 2.x SQLite'] = plan(db);
  plans['Uptime Kuma 1.23 backup JSON'] = plan(backup);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function monitor(p: ImportPlan, name: string) {
  const found = p.monitors.find((m) => m.input.name === name);
  assert.ok(found, `monitor ${name} planned`);
  return found.input;
}

for (const format of ['Uptime Kuma 2.x SQLite', 'Uptime Kuma 1.23 backup JSON']) {
  describe(`importing ${format}`, () => {
    const p = () => plans[format] as ImportPlan;

    it('maps every mapped check type with its settings', () => {
      const homepage = monitor(p(), 'Homepage');
      assert.equal(homepage.type, 'http');
      assert.equal(homepage.target, 'http://127.0.0.1:9/');
      assert.equal(homepage.intervalMs, 30_000);
      assert.equal(homepage.timeoutMs, 24_000);
      assert.equal(homepage.failureThreshold, 3, 'two retries: the third failure counts');
      assert.equal(homepage.recoveryThreshold, 1);
      assert.equal(homepage.group, 'Production');
      assert.deepEqual(homepage.tags, ['env:prod', 'public']);
      assert.deepEqual(homepage.alerts, [{ target: 'ops-slack' }, { target: 'mail' }]);
      assert.deepEqual(homepage.options, {
        method: 'GET',
        expectedStatus: ['200-299', '301'],
        insecure: false,
        followRedirects: false,
      });

      const api = monitor(p(), 'API health');
      assert.equal(api.type, 'https');
      assert.equal(api.group, 'Production / API');
      assert.equal(api.paused, true);
      assert.deepEqual(
        api.alerts,
        [{ target: 'pagerduty' }],
        'the unmapped LINE notification adds no route',
      );
      const headers = api.options?.['headers'] as Record<string, string>;
      assert.equal(
        headers['Authorization'],
        `Basic ${Buffer.from(`kuma:${KUMA_SECRETS.basicPass}`).toString('base64')}`,
      );
      assert.equal(headers['X-Api-Key'], 'kumaHeaderKey');
      assert.equal(api.options?.['body'], '{"ping":true}');
      assert.equal(api.options?.['insecure'], true);

      const login = monitor(p(), 'Login page');
      assert.equal(login.type, 'http_keyword');
      assert.equal(login.options?.['keyword'], 'Sign in');
      assert.equal(login.options?.['invert'], true);

      const status = monitor(p(), 'Status JSON');
      assert.equal(status.type, 'http_json');
      assert.deepEqual(status.options?.['assertions'], ['$.data.state == "ok"']);

      assert.deepEqual(
        ['Postgres port', 'Gateway ping', 'MX record'].map((name) => {
          const m = monitor(p(), name);
          return [m.type, m.target, m.options];
        }),
        [
          ['tcp', '127.0.0.1:5432', {}],
          ['icmp', '127.0.0.1', {}],
          ['dns', 'localhost', { recordType: 'MX', resolver: '127.0.0.1:9' }],
        ],
      );
      const feed = monitor(p(), 'Live feed');
      assert.equal(feed.type, 'websocket');
      assert.equal(feed.target, 'wss://127.0.0.1:9/feed');
      assert.deepEqual(feed.options, { subprotocol: 'graphql-ws' });
      assert.deepEqual(
        p()
          .warnings.filter((w) => w.name === 'Live feed')
          .map((w) => w.message),
        [
          'only the first subprotocol (graphql-ws) is asked for',
          '“ignore Sec-WebSocket-Accept” is not carried over: a server that answers the upgrade with a wrong accept header is down',
        ],
      );
      const cache = monitor(p(), 'Session cache');
      assert.equal(cache.type, 'redis');
      assert.equal(cache.target, 'rediss://127.0.0.1:9/2');
      assert.deepEqual(cache.options, {
        password: KUMA_SECRETS.redisPassword,
        username: 'kuma',
        insecure: true,
      });
      const sensor = monitor(p(), 'Sensor topic');
      assert.deepEqual([sensor.type, sensor.target], ['mqtt', 'mqtts://127.0.0.1:9']);
      assert.deepEqual(sensor.options, {
        topic: 'sensors/1',
        expect: 'online',
        username: 'kuma',
        password: KUMA_SECRETS.mqttPassword,
      });
      const shop = monitor(p(), 'Shop database');
      assert.deepEqual([shop.type, shop.target], ['mysql', '127.0.0.1:9']);
      assert.deepEqual(shop.options, {
        username: 'shop',
        password: KUMA_SECRETS.mysqlPassword,
        database: 'shop',
        query: 'SELECT 1',
        tls: 'off',
      });
      const relay = monitor(p(), 'Mail relay');
      assert.equal(relay.type, 'smtp');
      assert.equal(relay.target, '127.0.0.1:9');
      assert.deepEqual(relay.options, { tls: 'starttls' });

      // The push token stays, so jobs keep their URL's token; the interval is the period.
      const backup = monitor(p(), 'Backup job');
      assert.equal(backup.type, 'push');
      assert.equal(backup.options?.['token'], 'kumaPushToken');
      assert.equal(backup.options?.['periodMs'], backup.intervalMs);

      const checkout = monitor(p(), 'Checkout page');
      assert.equal(checkout.type, 'browser');
      assert.equal(checkout.target, 'https://127.0.0.1:9/checkout');
      assert.deepEqual(checkout.options, {
        steps: [{ action: 'expectText', text: 'Pay now' }],
        insecure: true,
      });
      assert.equal(p().monitors.length, 15);
    });

    it('maps every notification with a channel into a valid target', () => {
      const byName = new Map(p().alertTargets.map((t) => [t.input.name, t.input]));
      assert.deepEqual(
        [...byName.values()].map((t) => t.type),
        [
          'slack',
          'discord',
          'teams',
          'telegram',
          'webhook',
          'email',
          'pagerduty',
          'opsgenie',
          'pushover',
          'gotify',
          'ntfy',
          'matrix',
          'mattermost',
          'rocket_chat',
          'signal',
          'google_chat',
          'twilio',
        ],
      );
      assert.deepEqual(byName.get('mail')?.settings, {
        host: 'smtp.invalid.test',
        port: 465,
        security: 'tls',
        username: 'kuma',
        password: KUMA_SECRETS.smtpPassword,
        from: 'kuma@invalid.test',
        to: ['ops@invalid.test', 'lead@invalid.test'],
      });
      assert.deepEqual(byName.get('opsgenie-eu')?.settings, {
        apiKey: 'kumaOpsgenieKey',
        apiUrl: 'https://api.eu.opsgenie.com',
        priority: 'P2',
      });
      assert.deepEqual(byName.get('signal')?.settings?.['recipients'], [
        '+15550000002',
        '+15550000003',
      ]);
      assert.deepEqual(byName.get('ntfy')?.settings, {
        url: 'https://ntfy.sh',
        topic: 'kuma-alerts',
        token: KUMA_SECRETS.ntfyToken,
      });
    });

    it('maps a PostgreSQL monitor: URL parts to target and options, the password a secret', () => {
      const orders = monitor(p(), 'Orders database');
      assert.equal(orders.type, 'postgres');
      assert.equal(orders.target, '127.0.0.1:5432');
      assert.deepEqual(orders.options, {
        username: 'monitor',
        password: KUMA_SECRETS.postgresPassword,
        database: 'orders',
        query: 'SELECT count(*) FROM orders',
        tls: 'require',
      });
    });

    it('reports every object without an equivalent, with the reason', () => {
      const reported = p().unmapped.map((u) => `${u.kind} ${u.name} (${u.sourceType})`);
      assert.deepEqual(reported, [
        'notification LINE (line)',
        'notification Broken Telegram (telegram)',
        'monitor Web container (docker)',
        'monitor Game server (gamedig)',
        'monitor Must be down (http)',
        'monitor Intranet (http)',
        'monitor Complex query (json-query)',
        'monitor Reverse DNS (dns)',
        'monitor Legacy database (postgres)',
        'monitor Sentinel cache (redis)',
        'monitor Sensor JSON (mqtt)',
        'monitor Orders RPC (grpc-keyword)',
      ]);
      const reason = (name: string) => p().unmapped.find((u) => u.name === name)?.reason ?? '';
      assert.match(reason('Broken Telegram'), /^settings\.chatId: /);
      assert.match(reason('Must be down'), /upside-down/);
      assert.match(reason('Intranet'), /ntlm authentication/);
      assert.match(reason('Complex query'), /JSONata/);
      assert.match(reason('Reverse DNS'), /PTR/);
      assert.match(reason('Legacy database'), /key=value/);
      assert.match(reason('Sentinel cache'), /^redis\+sentinel:\/\/ connection strings/);
      assert.match(reason('Sensor JSON'), /json-query MQTT check/);
      assert.match(reason('Orders RPC'), /arbitrary gRPC method/);
    });

    it('prints no secret in the presented plan', () => {
      const text = JSON.stringify(presentPlan(p()));
      for (const secret of [...Object.values(KUMA_SECRETS), 'kumaHeaderKey'])
        assert.ok(!text.includes(secret), `${secret} printed`);
    });
  });
}

describe('the Uptime Kuma importer', () => {
  it('has fixtures for every type of its tables', () => {
    const fixtureTypes = new Set(KUMA_MONITORS_FIXTURE.map((m) => m['type']));
    for (const [type, mapping] of Object.entries(KUMA_MONITOR_TYPES)) {
      if (mapping.crosscheck !== null) assert.ok(fixtureTypes.has(type), `no fixture of ${type}`);
    }
    const notificationTypes = new Set(
      KUMA_NOTIFICATIONS_FIXTURE.map((n) => String(n.config['type'])),
    );
    for (const mapping of KUMA_NOTIFICATIONS)
      assert.ok(notificationTypes.has(mapping.kuma), mapping.kuma);
  });

  it('turns plain JSONata paths into JSONPath and refuses expressions', () => {
    assert.equal(jsonataToJsonPath('status'), '$.status');
    assert.equal(jsonataToJsonPath('$.data.items[0].state'), '$.data.items[0].state');
    assert.equal(jsonataToJsonPath('$'), '$');
    assert.equal(jsonataToJsonPath('$count(items)'), undefined);
    assert.equal(jsonataToJsonPath('a.b = 1'), undefined);
  });

  it('names the file and the field of a malformed backup', () => {
    const file = path.join(dir, 'bad-backup.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: '1.23.0',
        monitorList: [{ id: 1, name: 'x', type: 'http', interval: 'often' }],
      }),
    );
    assert.throws(
      () => uptimeKumaImporter.read(file),
      (error) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'VALIDATION');
        assert.deepEqual(
          error.issues.map((i) => i.path),
          [`${file}: monitorList[0].interval`],
        );
        return true;
      },
    );
  });

  it('refuses a database that is not Uptime Kuma’s, and a file that is neither', () => {
    const other = path.join(dir, 'other.db');
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'hello');
    writeEmptyDatabase(other);
    assert.throws(() => uptimeKumaImporter.read(other), /has no monitor table/);
    assert.throws(() => uptimeKumaImporter.read(notes), /neither an SQLite database nor JSON/);
    assert.throws(() => uptimeKumaImporter.read(path.join(dir, 'missing.db')), /cannot be read/);
  });
});

function writeEmptyDatabase(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  db.close();
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { sshKeyPair } from '../../test/helpers/ssh-server.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import type { Store } from '../store/types.ts';
import { createConfigService } from './config-service.ts';
import type { ConfigService } from './config-service.ts';
import { loadConfigText } from './load.ts';
import { configFileSchema } from './schema.ts';

// The ssh, redis, mysql, mqtt, grpc, smtp, imap, pop3, push and browser checks' secrets (a
// password, a private key, metadata values, a ping token, a fill value) leave the store only as
// ${CROSSCHECK_SECRET_…} placeholders, and the exported file applies back to the same store.

const SSH_PASSWORD = 'ssh-export-password';
const REDIS_PASSWORD = 'redis-export-password';
const MYSQL_PASSWORD = 'mysql-export-password';
const MQTT_PASSWORD = 'mqtt-export-password';
const GRPC_TOKEN = 'Bearer grpc-export-token';
const MAIL_PASSWORD = 'mail-export-password';
const PUSH_TOKEN = 'push-export-token-0123456789';
const BROWSER_PASSWORD = 'browser-export-password';
const loginKey = sshKeyPair();
const options = { source: 'crosscheck.yaml', prune: false, dryRun: false };

const FILE = configFileSchema.parse({
  version: 1,
  monitors: [
    {
      name: 'bastion',
      type: 'ssh',
      target: '127.0.0.1:22',
      options: { username: 'probe', password: SSH_PASSWORD, privateKey: loginKey.private },
    },
    {
      name: 'cache',
      type: 'redis',
      target: 'redis://127.0.0.1:6379/1',
      options: { username: 'probe', password: REDIS_PASSWORD, command: 'GET health', expect: 'ok' },
    },
    {
      name: 'shop',
      type: 'mysql',
      target: '127.0.0.1:3306',
      options: { username: 'probe', password: MYSQL_PASSWORD, query: 'SELECT 1', expect: '1' },
    },
    {
      name: 'sensors',
      type: 'mqtt',
      target: 'mqtt://127.0.0.1:1883',
      options: { username: 'probe', password: MQTT_PASSWORD, topic: 'sensors/1' },
    },
    {
      name: 'orders',
      type: 'grpc',
      target: '127.0.0.1:50051',
      options: { service: 'app.Orders', headers: { authorization: GRPC_TOKEN } },
    },
    {
      name: 'mx',
      type: 'smtp',
      target: '127.0.0.1:25',
      options: { tls: 'starttls', username: 'probe', password: MAIL_PASSWORD },
    },
    {
      name: 'inbox',
      type: 'imap',
      target: 'imaps://127.0.0.1:993',
      options: { username: 'probe', password: MAIL_PASSWORD },
    },
    {
      name: 'pop',
      type: 'pop3',
      target: '127.0.0.1:110',
      options: { username: 'probe', password: MAIL_PASSWORD },
    },
    {
      name: 'backup',
      type: 'push',
      target: 'nightly-backup',
      options: { token: PUSH_TOKEN, cron: '30 2 * * *', timezone: 'Europe/Berlin' },
    },
    {
      name: 'shop login',
      type: 'browser',
      target: 'http://127.0.0.1:8080/login',
      options: {
        steps: [
          { action: 'fill', selector: '#user', value: 'probe' },
          { action: 'fill', selector: '#password', value: BROWSER_PASSWORD, secret: true },
          { action: 'click', selector: 'button' },
          { action: 'expectText', text: 'Welcome' },
        ],
      },
    },
  ],
});

describe('config export of ssh, redis, mysql, mqtt, grpc, mail, push and browser monitors', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let service: ConfigService;
  let counter = 0;
  const newService = (on: Store) =>
    createConfigService({
      store: on,
      clock: new FakeClock(Date.UTC(2026, 0, 1)),
      changes: createMonitorChangeBus(),
      newId: (prefix) => `${prefix}-${++counter}`,
    });

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    service = newService(store);
    await service.apply(FILE, options);
  });
  after(() => cleanup());

  it('writes every secret as a placeholder and nothing of its value', async () => {
    const exported = await service.export({ includeSecrets: false });
    for (const secret of [
      SSH_PASSWORD,
      REDIS_PASSWORD,
      MYSQL_PASSWORD,
      MQTT_PASSWORD,
      GRPC_TOKEN,
      MAIL_PASSWORD,
      PUSH_TOKEN,
      BROWSER_PASSWORD,
      'PRIVATE KEY',
    ])
      assert.ok(!exported.text.includes(secret), `${secret} exported`);
    assert.deepEqual(exported.secrets, [
      'CROSSCHECK_SECRET_MONITOR_BACKUP_OPTIONS_TOKEN',
      'CROSSCHECK_SECRET_MONITOR_BASTION_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_BASTION_OPTIONS_PRIVATEKEY',
      'CROSSCHECK_SECRET_MONITOR_CACHE_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_INBOX_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_MX_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_ORDERS_OPTIONS_HEADERS_AUTHORIZATION',
      'CROSSCHECK_SECRET_MONITOR_POP_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_SENSORS_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_SHOP_OPTIONS_PASSWORD',
      'CROSSCHECK_SECRET_MONITOR_SHOP_LOGIN_OPTIONS_STEPS_1_VALUE',
    ]);
    assert.match(exported.text, /value: probe/, 'a fill value not marked secret is kept');
    assert.match(exported.text, /username: probe/, 'the user name is not a secret');
    assert.match(exported.text, /command: GET health/);
  });

  it('the exported file, with the secrets from the environment, applies to the same text', async () => {
    const exported = await service.export({ includeSecrets: false });
    const env: Record<string, string> = {
      CROSSCHECK_SECRET_MONITOR_BACKUP_OPTIONS_TOKEN: PUSH_TOKEN,
      CROSSCHECK_SECRET_MONITOR_BASTION_OPTIONS_PASSWORD: SSH_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_BASTION_OPTIONS_PRIVATEKEY: loginKey.private,
      CROSSCHECK_SECRET_MONITOR_CACHE_OPTIONS_PASSWORD: REDIS_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_SHOP_OPTIONS_PASSWORD: MYSQL_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_SENSORS_OPTIONS_PASSWORD: MQTT_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_ORDERS_OPTIONS_HEADERS_AUTHORIZATION: GRPC_TOKEN,
      CROSSCHECK_SECRET_MONITOR_INBOX_OPTIONS_PASSWORD: MAIL_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_MX_OPTIONS_PASSWORD: MAIL_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_POP_OPTIONS_PASSWORD: MAIL_PASSWORD,
      CROSSCHECK_SECRET_MONITOR_SHOP_LOGIN_OPTIONS_STEPS_1_VALUE: BROWSER_PASSWORD,
    };
    const loaded = await loadConfigText('exported.yaml', exported.text, (name) => env[name]);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const empty = await tempSqliteStore();
    try {
      const other = newService(empty.store);
      await other.apply(loaded.config, { ...options, source: 'exported.yaml' });
      assert.equal(
        (await other.export({ includeSecrets: true })).text,
        (await service.export({ includeSecrets: true })).text,
      );
    } finally {
      await empty.cleanup();
    }
  });
});

describe('config apply of a push monitor without a token', () => {
  it('generates one on create and keeps it on every later apply', async () => {
    const { store, cleanup } = await tempSqliteStore();
    try {
      const service = createConfigService({
        store,
        clock: new FakeClock(Date.UTC(2026, 0, 1)),
        changes: createMonitorChangeBus(),
        newId: (prefix) => `${prefix}-${Math.random().toString(36).slice(2)}`,
      });
      const file = configFileSchema.parse({
        version: 1,
        monitors: [
          { name: 'report', type: 'push', target: 'report', options: { periodMs: 3_600_000 } },
        ],
      });
      await service.apply(file, options);
      const first = (await store.listMonitors())[0]?.options['token'];
      assert.equal(typeof first, 'string');
      await service.apply(file, options);
      assert.equal((await store.listMonitors())[0]?.options['token'], first);
    } finally {
      await cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { presentPlan } from '../present.ts';
import type { ImportPlan } from '../types.ts';
import { parseCondition } from './conditions.ts';
import { gatusImporter } from './index.ts';
import { GATUS_PROVIDERS } from './providers.ts';

// The Gatus importer on a configuration written after Gatus v5's README (endpoints,
// conditions, alerts, alerting providers, external-endpoints), read by the real YAML reader.

const FIXTURE = path.join(import.meta.dirname, 'testing', 'gatus-config.yaml');
const SECRETS = [
  'gatusSlackSecret1',
  '123456:gatusTelegramSecret',
  'gatusPagerdutyKey000000000000000',
  'gatusEmailPassword',
  'gatusHeaderToken',
  'tk_gatusNtfyToken',
  'gatusZulipKey',
  'gatusSocketToken',
  'gatusSshPassword',
];

let plan: ImportPlan;
let dir: string;

before(() => {
  plan = gatusImporter.map(gatusImporter.read(FIXTURE));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatus-import-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function monitor(name: string) {
  const found = plan.monitors.find((m) => m.input.name === name);
  assert.ok(found, `monitor ${name} planned`);
  return found.input;
}

describe('importing a Gatus v5 configuration', () => {
  it('maps an http endpoint with status, JSON body, response-time and certificate conditions', () => {
    const website = monitor('website');
    assert.equal(website.type, 'http_json');
    assert.equal(website.group, 'core');
    assert.equal(website.intervalMs, 300_000);
    assert.equal(website.timeoutMs, 5_000);
    assert.equal(website.degradedIsDown, true);
    assert.deepEqual(website.tags, ['team:web']);
    assert.deepEqual(website.options, {
      method: 'GET',
      insecure: true,
      degradedThresholdMs: 300,
      expectedStatus: ['200'],
      assertions: ['$.status == "UP"', '$.db.latency < 300'],
    });
    // slack takes its provider's default-alert (4, send-on-resolved); pagerduty says 5/3.
    assert.deepEqual(website.alerts, [
      { target: 'gatus-slack' },
      { target: 'gatus-pagerduty', events: ['down', 'flapping'] },
    ]);
    assert.equal(website.failureThreshold, 5);
    assert.equal(website.recoveryThreshold, 3);
    const certificate = monitor('website certificate');
    assert.equal(certificate.type, 'tls');
    assert.equal(certificate.target, '127.0.0.1:9');
    assert.deepEqual(certificate.options, { warnDays: 2 });
    assert.equal(certificate.degradedIsDown, true);
  });

  it('maps keyword, status ranges, method, body, headers, paused and redirects', () => {
    const docs = monitor('docs');
    assert.equal(docs.type, 'http_keyword');
    assert.equal(docs.paused, true);
    assert.deepEqual(docs.options, {
      method: 'POST',
      body: '{"q": 1}',
      headers: { Authorization: 'Bearer gatusHeaderToken' },
      followRedirects: false,
      expectedStatus: ['200-399'],
      keyword: 'Welcome',
    });
    assert.deepEqual(docs.alerts, [{ target: 'gatus-telegram' }]);
  });

  it('maps tcp, icmp, tls and dns endpoints', () => {
    const rows = ['database', 'gateway', 'certificate', 'dns'].map((name) => {
      const m = monitor(name);
      return [m.type, m.target, m.options, m.degradedIsDown];
    });
    assert.deepEqual(rows, [
      ['tcp', '127.0.0.1:5432', { degradedThresholdMs: 100 }, true],
      ['icmp', '127.0.0.1', {}, false],
      ['tls', '127.0.0.1:443', { warnDays: 30 }, true],
      [
        'dns',
        'localhost',
        { recordType: 'A', resolver: '127.0.0.1:9', expect: ['127.0.0.1'] },
        false,
      ],
    ]);
    assert.equal(plan.monitors.length, 13);
  });

  it('maps grpc and grpcs endpoints to the health check, with the expected status', () => {
    const rpc = monitor('orders-rpc');
    assert.deepEqual([rpc.type, rpc.target], ['grpc', '127.0.0.1:9']);
    assert.deepEqual(rpc.options, {
      tls: 'skip-verify',
      expect: 'SERVING',
      degradedThresholdMs: 300,
    });
    assert.equal(rpc.degradedIsDown, true);
  });

  it('maps starttls:// endpoints to smtp with STARTTLS required', () => {
    const mail = monitor('mail-starttls');
    assert.equal(mail.type, 'smtp');
    assert.equal(mail.target, '127.0.0.1:9');
    assert.deepEqual(mail.options, { tls: 'starttls' });
  });

  it('maps udp endpoints with a body, and ws/wss endpoints, with their reply patterns', () => {
    const time = monitor('time-service');
    assert.equal(time.type, 'udp');
    assert.equal(time.target, '127.0.0.1:9');
    // Gatus sends the body as written: its backslash stays a backslash, not an escape.
    assert.deepEqual(time.options, { send: 'time?\\\\n', expect: 'UTC', degradedThresholdMs: 200 });
    assert.equal(time.degradedIsDown, true);
    const feed = monitor('live-feed');
    assert.equal(feed.type, 'websocket');
    assert.equal(feed.target, 'wss://127.0.0.1:9/feed');
    assert.deepEqual(feed.options, {
      send: '{"subscribe":"prices"}',
      headers: { Authorization: 'Bearer gatusSocketToken' },
      insecure: true,
      expect: 'subscribed',
    });
    const syslog = plan.unmapped.find((u) => u.name === 'syslog');
    assert.match(syslog?.reason ?? '', /without a body sends nothing/);
  });

  it('maps ssh endpoints: the login comes over, the command and its conditions are reported', () => {
    const bastion = monitor('bastion');
    assert.equal(bastion.type, 'ssh');
    assert.equal(bastion.target, '127.0.0.1:9');
    assert.deepEqual(bastion.options, {
      username: 'gatus',
      password: 'gatusSshPassword',
      degradedThresholdMs: 500,
    });
    assert.equal(bastion.degradedIsDown, true);
    const banner = monitor('ssh-banner');
    assert.deepEqual([banner.type, banner.target, banner.options], ['ssh', '127.0.0.1:9', {}]);
    const status = plan.unmapped.find((u) => u.name === 'bastion: [STATUS]');
    assert.match(status?.reason ?? '', /runs no command/);
    assert.deepEqual(
      plan.warnings.filter((w) => w.name === 'bastion').map((w) => w.message),
      ['its command (body) is not run: the ssh check logs in and runs nothing'],
    );
  });

  it('maps every alerting provider with a channel into a valid target', () => {
    const types = new Map(plan.alertTargets.map((t) => [t.sourceType, t.input.type]));
    for (const provider of GATUS_PROVIDERS) {
      if (provider.gatus === 'teams' || provider.gatus === 'custom') continue;
      assert.equal(types.get(provider.gatus), provider.channel, provider.gatus);
    }
    const zulip = plan.alertTargets.find((t) => t.sourceType === 'zulip')?.input.settings;
    assert.deepEqual(zulip, {
      serverUrl: 'https://zulip.invalid.test',
      botEmail: 'gatus-bot@zulip.invalid.test',
      apiKey: 'gatusZulipKey',
      stream: 'ops',
    });
  });

  it('reports every endpoint, condition, alert and provider without an equivalent', () => {
    assert.deepEqual(
      plan.unmapped.map((u) => `${u.kind} ${u.name} (${u.sourceType})`),
      [
        'notification gatus-custom (custom)',
        'notification messagebird (messagebird)',
        'condition docs: [IP] == 127.0.0.1 ([IP])',
        'condition docs: len([BODY].items) == 3 (len())',
        'alert docs → messagebird (messagebird)',
        'alert docs → teams (teams)',
        'condition live-feed: body-path (body-path)',
        'monitor syslog (udp)',
        'condition bastion: [STATUS] ([STATUS])',
        'monitor nightly-backup (external-endpoint)',
      ],
    );
    assert.match(plan.unmapped[0]?.reason ?? '', /settings\.url/);
  });

  it('leaves ${ENV} placeholders as written and reports them', () => {
    assert.deepEqual(
      plan.warnings.filter((w) => w.message.includes('${')).map((w) => w.name),
      ['alerting.custom.url'],
    );
  });

  it('prints no secret in the presented plan', () => {
    const text = JSON.stringify(presentPlan(plan));
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} printed`);
  });

  it('names the line of a YAML syntax error and the field of a wrong value', () => {
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, 'endpoints:\n  - name: a\n    url: [unclosed\n');
    assert.throws(
      () => gatusImporter.read(broken),
      (error) => {
        assert.ok(isAppError(error) && error.code === 'VALIDATION');
        assert.match(error.issues[0]?.path ?? '', /broken\.yaml: line \d+/);
        return true;
      },
    );
    const wrong = path.join(dir, 'wrong.yaml');
    fs.writeFileSync(
      wrong,
      'endpoints:\n  - name: a\n    url: http://127.0.0.1:9\n    conditions: "[STATUS] == 200"\n',
    );
    assert.throws(
      () => gatusImporter.read(wrong),
      (error) => {
        assert.ok(isAppError(error));
        assert.deepEqual(
          error.issues.map((i) => i.path),
          [`${wrong}: endpoints[0].conditions`],
        );
        return true;
      },
    );
  });
});

describe('Gatus conditions', () => {
  const status = (condition: string, code: number) => {
    const parsed = parseCondition(condition);
    assert.equal(parsed.kind, 'status');
    return parsed.kind === 'status' && parsed.accepts(code);
  };

  it('reads [STATUS] comparisons and any()', () => {
    assert.equal(status('[STATUS] == 200', 200), true);
    assert.equal(status('[STATUS] == 200', 201), false);
    assert.equal(status('[STATUS] < 300', 299), true);
    assert.equal(status('[STATUS] < 300', 300), false);
    assert.equal(status('[STATUS] == any(200, 204)', 204), true);
    assert.equal(parseCondition('[STATUS] != 500').kind, 'unsupported');
  });

  it('reads body, time, certificate, connection and rcode placeholders', () => {
    assert.deepEqual(parseCondition('[BODY].data[0].id == 7'), {
      kind: 'body-path',
      assertion: '$.data[0].id == 7',
    });
    assert.deepEqual(parseCondition('[BODY] == pat(*ok*)'), {
      kind: 'body-keyword',
      keyword: 'ok',
    });
    assert.deepEqual(parseCondition('[RESPONSE_TIME] <= 250'), {
      kind: 'response-time',
      maxMs: 250,
    });
    assert.deepEqual(parseCondition('[CERTIFICATE_EXPIRATION] > 1h30m'), {
      kind: 'certificate',
      minMs: 5_400_000,
    });
    assert.deepEqual(parseCondition('[CONNECTED] == true'), { kind: 'connected' });
    assert.deepEqual(parseCondition('[DNS_RCODE] == NOERROR'), { kind: 'dns-rcode' });
    for (const unsupported of [
      '[DNS_RCODE] == NXDOMAIN',
      '[DOMAIN_EXPIRATION] > 720h',
      '[BODY] == pat(a*b)',
      'has([BODY].x) == true',
      '[RESPONSE_TIME] > 10',
    ])
      assert.equal(parseCondition(unsupported).kind, 'unsupported', unsupported);
  });
});

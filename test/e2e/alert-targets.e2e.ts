import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALERT_CHANNEL_TYPES } from '../../src/alerts/registry.ts';
import type { AlertRule } from '../../src/domain/alert-target.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { TestSendResult } from '../../src/services/alert-targets/test-send.ts';
import type { TargetView } from '../../src/services/alert-targets/target-service.ts';
import { runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { CliRun, DaemonProcess } from '../helpers/cli.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

// Alert targets and routing rules through the real CLI against a real daemon: every channel
// listed, targets added, shown masked, edited, tested against a real receiver, protected while
// routed to, and the `--webhook URL` shorthand turned into (reused) targets.

const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
const HEADER_TOKEN = 'e2e-header-token-abcdef';
const QUERY_TOKEN = 'e2e-query-token-987';
const SECRETS = [SIGNING_SECRET, HEADER_TOKEN, QUERY_TOKEN];

// About 30 CLI runs of one to three seconds each on a loaded CI machine.
describe('crosscheck alerts target and route, end to end', { timeout: 150_000 }, () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let daemon: DaemonProcess | undefined;
  const runs: CliRun[] = [];

  before(async () => {
    dataDir = tempDataDir();
    receiver = await startWebhookReceiver();
    daemon = await startDaemon(dataDir);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs the CLI, keeping every output to check no secret was ever printed. */
  async function cli(...args: string[]): Promise<CliRun> {
    const run = await runCrosscheck(args, { CROSSCHECK_DATA_DIR: dataDir });
    runs.push(run);
    return run;
  }

  async function json<T>(...args: string[]): Promise<T> {
    const run = await cli(...args, '--json');
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  }

  function assertBadInput(run: CliRun, field: RegExp): void {
    assert.equal(run.code, 2, `exit 2 expected: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, field);
  }

  it('lists every registered channel type', async () => {
    const table = await cli('alerts', 'channels');
    assert.equal(table.code, 0, table.stderr);
    const [header, ...lines] = table.stdout.trim().split('\n');
    assert.match(header ?? '', /^TYPE\s+TITLE/);
    const rows = new Map(lines.map((line) => [line.split(/\s+/)[0], line]));
    assert.deepEqual([...rows.keys()].sort(), [...ALERT_CHANNEL_TYPES].sort());
    assert.match(rows.get('command') ?? '', /true$/, 'the command channel is admin-only');
  });

  it('adds, shows masked, edits, tests and deletes a target; routes to it', async () => {
    const secretFile = path.join(dataDir, 'signing-secret.txt');
    fs.writeFileSync(secretFile, `${SIGNING_SECRET}\n`);
    const added = await cli(
      'alerts',
      'target',
      'add',
      'ops',
      '--type',
      'webhook',
      '--url',
      `${receiver.url}?token=${QUERY_TOKEN}`,
      '--secret-file',
      secretFile,
      '--headers',
      JSON.stringify({ Authorization: `Bearer ${HEADER_TOKEN}` }),
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added alert target ops \(webhook\)/);

    const [list, shown] = await Promise.all([
      cli('alerts', 'target', 'list'),
      json<TargetView>('alerts', 'target', 'show', 'ops'),
    ]);
    assert.match(list.stdout, /^NAME\s+TYPE.*\nops\s+webhook\s[^\n]*\n?$/);
    assert.equal(shown.settings.secret, '***');
    assert.deepEqual(shown.settings.headers, { Authorization: '***' });
    assert.equal(shown.settings.url, `${receiver.url}?token=***`);

    // Bad input: exit 2, the field named.
    const [badUrl, badType, badNumber] = await Promise.all([
      cli('alerts', 'target', 'add', 'x', '--type', 'webhook', '--url', 'ftp://example.test/'),
      cli('alerts', 'target', 'add', 'x', '--type', 'carrier-pigeon'),
      cli('alerts', 'target', 'edit', 'ops', '--timeout-ms', 'soon'),
    ]);
    assertBadInput(badUrl, /settings\.url: must be an http/);
    assertBadInput(badType, /type: must be one of: webhook, /);
    assertBadInput(badNumber, /--timeout-ms: is not a number/);

    const after = await json<TargetView>('alerts', 'target', 'edit', 'ops', '--timeout-ms', '3000');
    assert.equal(after.settings.timeoutMs, 3000);
    assert.equal(after.settings.secret, '***', 'the secret kept its value');

    receiver.respondNext(1, 200, { body: 'e2e receiver says hello' });
    const tested = await json<TestSendResult>('alerts', 'target', 'test', 'ops');
    assert.equal(tested.ok, true, JSON.stringify(tested));
    assert.ok(tested.ok && tested.answer.includes('e2e receiver says hello'));
    const [request] = await receiver.waitForRequests(1);
    assert.ok(request !== undefined && receiver.verifySignature(request, SIGNING_SECRET));
    assert.equal(request.headers.authorization, `Bearer ${HEADER_TOKEN}`);

    // A failed test send says why and exits 1, so a script can tell.
    await json(
      'alerts',
      'target',
      'add',
      'refused',
      '--type',
      'webhook',
      '--url',
      'http://127.0.0.1:1/',
    );
    const failed = await cli('alerts', 'target', 'test', 'refused');
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /^failed \(would be retried\): /);
    await json('alerts', 'target', 'delete', 'refused');

    // Routes.
    const rule = await json<AlertRule>(
      'alerts',
      'route',
      'add',
      '--tag',
      'prod',
      '--target',
      'ops',
      '--events',
      'down,recovered',
      '--repeat',
      '30m',
    );
    assert.match(rule.id, /^rule_/);
    assert.deepEqual(rule.scope, { kind: 'tag', tag: 'prod' });
    assert.deepEqual(rule.events, ['down', 'recovered']);
    assert.equal(rule.repeatEveryMs, 30 * 60_000);
    const [missing, badRepeat, table] = await Promise.all([
      cli('alerts', 'route', 'add', '--group', 'web', '--target', 'nope'),
      cli('alerts', 'route', 'add', '--default', '--target', 'ops', '--repeat', 'often'),
      cli('alerts', 'route', 'list'),
    ]);
    assertBadInput(missing, /target: no alert target named "nope"/);
    assertBadInput(badRepeat, /--repeat: is not a duration/);
    assert.match(
      table.stdout,
      new RegExp(`^${rule.id}\\s+tag prod\\s+ops\\s+down,recovered\\s+30m\\s+-`, 'm'),
    );

    // A target routed to cannot be deleted; once the route is gone it can.
    const refused = await cli('alerts', 'target', 'delete', 'ops');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /still used by 1 routing rule/);
    const unrouted = await cli('alerts', 'route', 'delete', rule.id);
    assert.equal(unrouted.code, 0, unrouted.stderr);
    const deleted = await cli('alerts', 'target', 'delete', 'ops');
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await cli('alerts', 'target', 'show', 'ops');
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /not found/);
  });

  it('--webhook on monitor add creates a webhook target, or reuses one with the same settings', async () => {
    const hook = `${receiver.url}/shorthand`;
    const other = `${receiver.url}/created`;
    const added = await cli(
      'alerts',
      'target',
      'add',
      'team-hook',
      '--type',
      'webhook',
      '--url',
      hook,
    );
    assert.equal(added.code, 0, added.stderr);
    const monitor = (name: string, url: string) =>
      json<Monitor>(
        'monitor',
        'add',
        '--name',
        name,
        '--type',
        'tcp',
        '--target',
        `127.0.0.1:${receiver.port}`,
        '--paused',
        '--webhook',
        url,
      );
    const reusing = await monitor('reuses', hook);
    assert.deepEqual(reusing.alerts, [
      { target: 'team-hook', events: null, repeatEveryMs: null, escalateAfterMs: null },
    ]);
    const first = await monitor('creates', other);
    const second = await monitor('creates-again', other);
    const created = first.alerts[0];
    assert.ok(created !== undefined && 'target' in created);
    assert.match(created.target, /^webhook-[0-9a-f]{8}$/);
    assert.deepEqual(second.alerts, first.alerts, 'the second monitor reuses the created target');
    const targets = await json<TargetView[]>('alerts', 'target', 'list');
    assert.deepEqual(targets.map((t) => t.name).sort(), [created.target, 'team-hook'].sort());
    const [used, missing, named] = await Promise.all([
      cli('alerts', 'target', 'delete', 'team-hook'),
      cli(
        'monitor',
        'add',
        '--name',
        'x',
        '--type',
        'tcp',
        '--target',
        '127.0.0.1:1',
        '--alert',
        'nope',
      ),
      json<Monitor>(
        'monitor',
        'add',
        '--name',
        'named',
        '--type',
        'tcp',
        '--target',
        '127.0.0.1:1',
        '--paused',
        '--alert',
        'team-hook',
      ),
    ]);
    assert.match(used.stderr, /still used by (monitor named, )?monitor reuses;/);
    assertBadInput(missing, /--alert: no alert target named "nope"/);
    assert.deepEqual(named.alerts, reusing.alerts, '--alert names a target directly');
  });

  it('never printed a secret', () => {
    const printed = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const secret of SECRETS) assert.ok(!printed.includes(secret), `${secret} was printed`);
    const logs = daemon?.logs() ?? '';
    for (const secret of SECRETS) assert.ok(!logs.includes(secret), `${secret} was logged`);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import { crosscheckJson, runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

const FILE = [
  'version: 1',
  'monitors:',
  '  - key: api',
  '    name: API',
  '    type: http',
  '    target: http://127.0.0.1:9/health',
  '    intervalMs: 30s',
  '    group: core',
  '    tags: [prod]',
  '    options:',
  '      headers:',
  '        Authorization: Bearer ${API_TOKEN}',
  '  - name: db',
  '    type: tcp',
  '    target: 127.0.0.1:9',
  '',
].join('\n');

/** Every other kind, naming a monitor; applied as its own file (its own source). */
const ALERTING_FILE = [
  'version: 1',
  'alertTargets:',
  '  - name: ops',
  '    type: webhook',
  '    settings:',
  '      url: http://127.0.0.1:9/hook',
  '      headers:',
  '        Authorization: Bearer ${HOOK_TOKEN}',
  'alertRules:',
  '  - { scope: group, value: core, target: ops, events: [down] }',
  '  - { key: fallback, scope: default, target: ops }',
  'monitors:',
  '  - name: paged',
  '    type: tcp',
  '    target: 127.0.0.1:9',
  '    alerts: [{ target: ops }]',
  'maintenance:',
  '  - { name: deploys, monitors: [paged], cron: 0 3 * * 0, durationMs: 2h, timezone: Europe/Berlin }',
  'statusPages:',
  '  - slug: public',
  '    title: Acme',
  '    groups: [{ name: Core, monitors: [paged] }]',
  '',
].join('\n');

describe('crosscheck apply / diff / export, end to end', { timeout: 180_000 }, () => {
  let dataDir: string;
  let otherDir: string;
  let daemon: DaemonProcess | undefined;
  let other: DaemonProcess | undefined;
  let file: string;
  const env = (extra: Record<string, string> = {}) => ({
    CROSSCHECK_DATA_DIR: dataDir,
    API_TOKEN: 'tok-123',
    HOOK_TOKEN: 'hook-456',
    ...extra,
  });

  const listMonitors = () => crosscheckJson<Monitor[]>(['monitor', 'list'], env());

  before(async () => {
    dataDir = tempDataDir();
    otherDir = tempDataDir();
    file = path.join(dataDir, 'crosscheck.yaml');
    fs.writeFileSync(file, FILE);
    daemon = await startDaemon(dataDir);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await other?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(otherDir, { recursive: true, force: true });
  });

  it('lists every problem with its line and applies nothing', async () => {
    const bad = path.join(dataDir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      FILE.replace('intervalMs: 30s', 'intervalMs: soon').replace('127.0.0.1:9\n', 'nowhere\n'),
    );
    const run = await runCrosscheck(['apply', '-f', bad], env({ API_TOKEN: '' }));
    assert.equal(run.code, 2, run.stderr);
    // The missing variable is reported alone: nothing else is checked on a file with holes.
    assert.match(
      run.stderr,
      /bad\.yaml:12:\d+ monitors\.0\.options\.headers\.Authorization environment variable API_TOKEN is not set/,
    );
    const again = await runCrosscheck(['apply', '-f', bad], env());
    assert.equal(again.code, 2);
    assert.match(again.stderr, /bad\.yaml:7:17 monitors\.0\.intervalMs expected a duration/);
    assert.match(again.stderr, /bad\.yaml:15:13 monitors\.1\.target must be host:port/);
    assert.doesNotMatch(again.stderr, /tok-123/);
    const unknownTarget = path.join(dataDir, 'unknown-target.yaml');
    fs.writeFileSync(unknownTarget, `${FILE}    alerts: [{ target: nope }]\n`);
    const routed = await runCrosscheck(['apply', '-f', unknownTarget], env());
    assert.equal(routed.code, 2);
    assert.match(
      routed.stderr,
      /unknown-target\.yaml:16:\d+ monitors\.1\.alerts\.0\.target no alert target named "nope"/,
    );
    const list = { items: await listMonitors() };
    assert.equal(list.items.length, 0);
  });

  it('dry-runs, applies, and then diffs clean (exit 0); a change diffs with exit 1', async () => {
    const dry = await runCrosscheck(['apply', '-f', file, '--dry-run'], env());
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+ monitor api \(API\)\n\+ monitor db\nPlan: 2 to create/);
    assert.equal((await listMonitors()).length, 0);

    const applied = await runCrosscheck(['apply', '-f', file], env());
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Applied: 2 create, 0 update, 0 delete, 0 unchanged\./);

    const clean = await runCrosscheck(['diff', '-f', file], env());
    assert.equal(clean.code, 0, clean.stdout);
    assert.match(clean.stdout, /No changes \(2 unchanged\)/);

    fs.writeFileSync(file, FILE.replace('name: API', 'name: Public API'));
    const changed = await runCrosscheck(['diff', '-f', file], env());
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /~ monitor api \(Public API\): name/);
    const renamed = await runCrosscheck(['apply', '-f', file], env());
    assert.equal(renamed.code, 0, renamed.stderr);
    const list = { items: await listMonitors() };
    assert.deepEqual(list.items.map((m) => m.name).sort(), ['Public API', 'db']);
  });

  it('restores a monitor edited through the CLI on the next apply', async () => {
    const list = { items: await listMonitors() };
    const db = list.items.find((m) => m.name === 'db');
    assert.ok(db);
    const edit = await runCrosscheck(['monitor', 'edit', db.id, '--tag', 'hand-made'], env());
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(
      edit.stderr,
      /warning: monitor \S+ is managed by the config file crosscheck\.yaml \(key db\); the next crosscheck apply/,
    );
    const diff = await runCrosscheck(['diff', '-f', file], env());
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /~ monitor db: tags/);
    assert.equal((await runCrosscheck(['apply', '-f', file], env())).code, 0);
    assert.equal((await runCrosscheck(['diff', '-f', file], env())).code, 0);
  });

  it('prunes only what the file manages', async () => {
    const manual = await crosscheckJson<Monitor>(
      ['monitor', 'add', '--name', 'manual', '--type', 'tcp', '--target', '127.0.0.1:9'],
      env(),
    );
    fs.writeFileSync(
      file,
      FILE.replace('name: API', 'name: Public API').split('  - name: db')[0] ?? '',
    );
    const kept = await runCrosscheck(['apply', '-f', file], env());
    assert.match(kept.stdout, /No changes \(1 unchanged\)/);
    const pruned = await runCrosscheck(['apply', '-f', file, '--prune'], env());
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /- monitor db\n/);
    const names = (await listMonitors()).map((m) => m.name).sort();
    assert.deepEqual(names, ['Public API', manual.name]);
  });

  it('exports, applies the export on an empty node, and exports the same bytes', async () => {
    const alerting = path.join(dataDir, 'alerting.yaml');
    fs.writeFileSync(alerting, ALERTING_FILE);
    const routed = await runCrosscheck(['apply', '-f', alerting], env());
    assert.equal(routed.code, 0, routed.stderr);
    assert.match(
      routed.stdout,
      /\+ alert-target ops\n\+ alert-rule fallback \(default\/ops\)\n\+ alert-rule group\/core\/ops\n\+ monitor paged\n\+ maintenance deploys\n\+ status-page public\n/,
    );
    const exported = await runCrosscheck(['export'], env());
    assert.equal(exported.code, 0, exported.stderr);
    assert.doesNotMatch(exported.stdout, /tok-123/);
    assert.match(
      exported.stdout,
      /Authorization: \$\{CROSSCHECK_SECRET_MONITOR_API_OPTIONS_HEADERS_AUTHORIZATION\}/,
    );
    assert.match(
      exported.stdout,
      /# {3}CROSSCHECK_SECRET_MONITOR_API_OPTIONS_HEADERS_AUTHORIZATION\n$/,
    );
    assert.match(
      exported.stdout,
      /Authorization: \$\{CROSSCHECK_SECRET_ALERT_TARGET_OPS_SETTINGS_HEADERS_AUTHORIZATION\}/,
    );
    assert.match(exported.stdout, /alertRules:\n {2}- key: fallback\n {4}scope: default\n/);
    assert.match(
      exported.stdout,
      /maintenance:\n {2}- name: deploys\n {4}monitors:\n {6}- paged\n/,
    );
    assert.match(exported.stdout, /statusPages:\n {2}- slug: public\n/);
    const withSecrets = await runCrosscheck(['export', '--include-secrets'], env());
    assert.match(withSecrets.stdout, /Authorization: Bearer tok-123/);

    other = await startDaemon(otherDir);
    const exportFile = path.join(otherDir, 'exported.yaml');
    fs.writeFileSync(exportFile, exported.stdout);
    const otherEnv = {
      CROSSCHECK_DATA_DIR: otherDir,
      CROSSCHECK_SECRET_MONITOR_API_OPTIONS_HEADERS_AUTHORIZATION: 'Bearer tok-123',
      CROSSCHECK_SECRET_ALERT_TARGET_OPS_SETTINGS_HEADERS_AUTHORIZATION: 'Bearer hook-456',
    };
    const applied = await runCrosscheck(['apply', '-f', exportFile], otherEnv);
    assert.equal(applied.code, 0, applied.stderr);
    const again = await runCrosscheck(['export'], otherEnv);
    assert.equal(again.stdout, exported.stdout);
    const secrets = await runCrosscheck(['export', '--include-secrets'], otherEnv);
    assert.equal(secrets.stdout, withSecrets.stdout);
  });
});

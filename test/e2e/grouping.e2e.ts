import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { AlertLogEntry } from '../../src/services/alert-log-service.ts';
import type { ApiClient } from '../../src/cli/api-client.ts';
import { launchBrowser } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { slackText, startAlertingLab, type AlertingLab } from '../helpers/alerting-lab.ts';
import { runCrosscheck, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { listItems, localApi } from '../helpers/local-api.ts';

// Issue 16's grouping through the real daemon, CLI, Slack channel and dashboard: four monitors
// on one host fail together and page once, listing them; each keeps its own incident, its own
// page recorded `grouped`; the incident page shows the group; the recovery comes once.

const CLI_TIMEOUT_MS = 60_000;
const PASSWORD = 'correct horse battery';
const NAMES = ['Shop', 'Cart', 'Search', 'Login'];

describe('one page per shared cause end to end', { timeout: 240_000 }, () => {
  let dataDir: string;
  let lab: AlertingLab;
  let daemon: DaemonProcess | undefined;
  let api: ApiClient;
  let browser: BrowserSession;
  const run = (args: string[]) =>
    runCrosscheck(args, { CROSSCHECK_DATA_DIR: dataDir }, CLI_TIMEOUT_MS);
  const cli = async (args: string[]) => {
    const result = await run(args);
    assert.equal(result.code, 0, `crosscheck ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const json = async <T>(args: string[]) => JSON.parse(await cli([...args, '--json'])) as T;

  async function addMonitor(name: string): Promise<Monitor> {
    const where = `/${name.toLowerCase()}`;
    lab.health.set(where, 200);
    return json<Monitor>([
      'monitor',
      'add',
      '--name',
      name,
      '--type',
      'http',
      '--target',
      lab.health.url(where),
      '--alert',
      'ops-slack',
      '--interval',
      '1s',
      '--timeout',
      '800ms',
    ]);
  }

  before(async () => {
    dataDir = tempDataDir();
    lab = await startAlertingLab(dataDir);
    daemon = await startDaemon(dataDir, ['--group-min', '2', '--group-wait', '20s']);
    api = localApi(dataDir, daemon.apiUrl);
    const passwordFile = path.join(dataDir, 'password.txt');
    fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const [, , launched] = await Promise.all([
      cli(['alerts', 'target', 'add', 'ops-slack', '--type', 'slack', ...lab.slackFlags()]),
      cli(['user', 'create-admin', '--name', 'admin', '--password-file', passwordFile]),
      launchBrowser(),
    ]);
    browser = launched;
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop('SIGKILL');
    await lab?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('four monitors on one host page once, listing them; each keeps its incident; one recovery', async () => {
    const monitors: Monitor[] = [];
    for (const name of NAMES) monitors.push(await addMonitor(name));
    await waitFor(
      () => (NAMES.every((n) => lab.health.hits(`/${n.toLowerCase()}`) >= 2) ? true : undefined),
      20_000,
      () => 'checks of every monitor',
    );

    for (const name of NAMES) lab.health.set(`/${name.toLowerCase()}`, 503);
    const open = await waitFor(
      async () => {
        const incidents = await listItems<Incident>(api, '/api/v1/incidents?active=true');
        return incidents.length === NAMES.length ? incidents : undefined;
      },
      30_000,
      () => 'an incident of every monitor',
      250,
    );
    const groupId = open[0]?.groupId ?? null;
    assert.ok(groupId !== null, `grouped: ${JSON.stringify(open)}`);
    assert.ok(open.every((i) => i.groupId === groupId));

    const [page] = await lab.waitSlack('4 monitors down on 127.0.0.1', 1, 40_000);
    assert.ok(page !== undefined);
    const text = slackText(page);
    for (const name of NAMES) assert.match(text, new RegExp(name), `the page names ${name}`);
    for (const name of NAMES)
      assert.equal(lab.slackAbout(`DOWN: ${name}`).length, 0, `${name} did not page alone`);
    for (const monitor of monitors) {
      const log = await listItems<AlertLogEntry>(api, `/api/v1/alerts?monitor=${monitor.id}`);
      assert.deepEqual(
        log.map((e) => `${e.kind}:${e.status}:${e.reason ?? ''}`),
        ['down:suppressed:grouped'],
        `${monitor.name}'s own page is recorded, not sent`,
      );
    }
    const shown = await json<{ title: string; count: number; state: string }>([
      'incidents',
      'group',
      groupId,
    ]);
    assert.deepEqual(
      { title: shown.title, count: shown.count, state: shown.state },
      { title: '4 monitors down on 127.0.0.1', count: 4, state: 'paged' },
    );

    const { page: tab, errors } = await browser.open();
    await tab.goto(`${daemon?.apiUrl ?? ''}/incidents/${open[0]?.id ?? ''}`);
    await tab.getByLabel('User name').fill('admin');
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    const card = tab.locator('.cause-group');
    await card.getByText('4 monitors down on 127.0.0.1').waitFor({ timeout: 15_000 });
    for (const name of NAMES) await card.getByRole('link', { name }).waitFor();
    assert.deepEqual(errors, [], 'no console errors on the incident page');

    for (const name of NAMES) lab.health.set(`/${name.toLowerCase()}`, 200);
    const [recovery] = await lab.waitSlack('4 monitors', 2, 40_000).then((all) => all.slice(1));
    assert.ok(recovery !== undefined);
    assert.match(slackText(recovery), /All 4 monitors on 127\.0\.0\.1 recovered/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(lab.slackAbout('4 monitors').length, 2, 'one page and one recovery in all');
  });
});

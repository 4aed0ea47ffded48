import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { AlertLogEntry } from '../../src/services/alert-log-service.ts';
import type { ApiClient } from '../../src/cli/api-client.ts';
import { slackText, startAlertingLab, type AlertingLab } from '../helpers/alerting-lab.ts';
import { runCrosscheck, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { listItems, localApi } from '../helpers/local-api.ts';

// Issue 16's dependency proof through the real daemon and CLI: a router and three web servers
// that depend on it. The router goes down, then the three: one Slack page (the router's), the
// three recorded suppressed with the reason and linked to its incident. The router and two web
// servers recover; the third, still down, pages on its own. Circles are refused, and deleting
// the parent leaves no dangling entry.

const CLI_TIMEOUT_MS = 60_000;

describe(
  'monitor dependencies end to end: a parent and three children',
  { timeout: 240_000 },
  () => {
    let dataDir: string;
    let lab: AlertingLab;
    let daemon: DaemonProcess | undefined;
    let api: ApiClient;
    const run = (args: string[]) =>
      runCrosscheck(args, { CROSSCHECK_DATA_DIR: dataDir }, CLI_TIMEOUT_MS);
    const cli = async (args: string[]) => {
      const result = await run(args);
      assert.equal(result.code, 0, `crosscheck ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    const json = async <T>(args: string[]) => JSON.parse(await cli([...args, '--json'])) as T;

    async function addMonitor(name: string, path: string, extra: string[] = []): Promise<Monitor> {
      lab.health.set(path, 200);
      const monitor = await json<Monitor>([
        'monitor',
        'add',
        '--name',
        name,
        '--type',
        'http',
        '--target',
        lab.health.url(path),
        '--alert',
        'ops-slack',
        '--interval',
        '1s',
        '--timeout',
        '800ms',
        ...extra,
      ]);
      await waitFor(
        () => (lab.health.hits(path) >= 2 ? true : undefined),
        20_000,
        () => `checks of ${path}`,
      );
      return monitor;
    }

    const incidentsOf = (monitor: Monitor, active: boolean) =>
      listItems<Incident>(
        api,
        `/api/v1/incidents?monitor=${monitor.id}${active ? '&active=true' : ''}`,
      );
    const alertLog = (monitor: Monitor) =>
      listItems<AlertLogEntry>(api, `/api/v1/alerts?monitor=${monitor.id}`);

    before(async () => {
      dataDir = tempDataDir();
      lab = await startAlertingLab(dataDir);
      daemon = await startDaemon(dataDir);
      api = localApi(dataDir, daemon.apiUrl);
      await cli(['alerts', 'target', 'add', 'ops-slack', '--type', 'slack', ...lab.slackFlags()]);
    });

    after(async () => {
      await daemon?.stop('SIGKILL');
      await lab.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('pages once for the parent, links the children, and pages a child still down after the parent recovers', async () => {
      const router = await addMonitor('Core Router', '/router');
      // Named by name on the command line; stored by id.
      const children = await Promise.all(
        ['Web A', 'Web B', 'Web C'].map((name, i) =>
          addMonitor(name, `/web-${i}`, ['--depends-on', 'Core Router']),
        ),
      );
      for (const child of children) assert.deepEqual(child.dependsOn, [router.id]);
      const shown = await cli(['monitor', 'show', children[0]?.id ?? '']);
      assert.match(shown, new RegExp(`depends on:\\s+Core Router \\(${router.id}\\)`));

      lab.health.set('/router', 503);
      const [parentIncident] = await waitFor(
        async () => {
          const open = await incidentsOf(router, true);
          return open.length > 0 ? open : undefined;
        },
        30_000,
        () => 'the router incident',
        250,
      );
      assert.ok(parentIncident !== undefined);
      for (let i = 0; i < 3; i++) lab.health.set(`/web-${i}`, 503);
      const linked = await Promise.all(
        children.map((child) =>
          waitFor(
            async () => (await incidentsOf(child, true))[0],
            30_000,
            () => `an open incident of ${child.name}`,
            250,
          ),
        ),
      );
      for (const incident of linked) {
        assert.deepEqual(incident.causedBy, {
          incidentId: parentIncident.id,
          monitorId: router.id,
          monitorName: 'Core Router',
        });
      }
      const text = await cli(['incidents', 'show', linked[0]?.id ?? '']);
      assert.match(text, /caused by:\s+Core Router/);
      const status = await api.request<{ status: string }>(
        'GET',
        `/api/v1/monitors/${children[0]?.id}/status`,
      );
      assert.equal(status.status, 'down', 'a linked child stays visibly down');

      for (const child of children) {
        const log = await waitFor(
          async () => {
            const entries = await alertLog(child);
            return entries.length > 0 ? entries : undefined;
          },
          20_000,
          () => `the alert log of ${child.name}`,
          250,
        );
        assert.deepEqual(
          log.map((e) => `${e.kind}:${e.status}:${e.reason ?? ''}`),
          ['down:suppressed:dependency-down'],
        );
      }
      await lab.waitSlack('Core Router', 1);

      // Two children recover while the router is still down: their recoveries follow
      // suppressed openings, so they never page. (Recovering with the router at the same moment
      // would race: a child the router's recovery finds still down pages on its own, rightly.)
      lab.health.set('/web-0', 200);
      lab.health.set('/web-1', 200);
      for (const child of children.slice(0, 2)) {
        await waitFor(
          async () => ((await incidentsOf(child, true)).length === 0 ? true : undefined),
          30_000,
          () => `${child.name} recovered`,
          250,
        );
      }
      // The router recovers; Web C, still down, pages on its own.
      lab.health.set('/router', 200);
      const webC = children[2];
      assert.ok(webC !== undefined);
      const [ownPage] = await lab.waitSlack('Web C', 1, 40_000);
      assert.ok(ownPage !== undefined);
      assert.match(slackText(ownPage), /down/i);
      const cIncident = (await incidentsOf(webC, true))[0];
      assert.equal(cIncident?.id, linked[2]?.id, 'the same incident, now standing on its own');
      assert.equal(cIncident?.causedBy, null);
      const cLog = await alertLog(webC);
      assert.deepEqual(
        cLog
          .map(
            (e) =>
              `${e.kind}:${e.status === 'suppressed' ? 'suppressed' : 'paged'}:${e.reason ?? ''}`,
          )
          .sort(),
        ['down:paged:dependency-recovered', 'down:suppressed:dependency-down'],
      );
      await lab.waitSlack('Core Router', 2);
      for (const child of children.slice(0, 2)) {
        assert.equal(lab.slackAbout(child.name).length, 0, `${child.name} never paged`);
        assert.deepEqual(
          (await alertLog(child)).map((e) => `${e.kind}:${e.status}:${e.reason ?? ''}`).sort(),
          ['down:suppressed:dependency-down', 'recovered:suppressed:opening-suppressed'],
          `${child.name}: both recorded, neither sent`,
        );
      }
      lab.health.set('/web-2', 200);
      await lab.waitSlack('Web C', 2, 40_000);
      assert.equal(lab.slackAbout('Core Router').length, 2, 'one down and one recovered page');
    });

    it('refuses a circle with a clear error, and deleting a parent leaves no dangling entry', async () => {
      const db = await addMonitor('Database', '/db');
      const app = await addMonitor('App', '/app', ['--depends-on', db.id]);
      const refused = await run(['monitor', 'edit', db.id, '--depends-on', 'App']);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /--depends-on/);
      assert.match(refused.stderr, /circle: (Database → App → Database|App → Database → App)/);
      const missing = await run(['monitor', 'edit', app.id, '--depends-on', 'no-such-monitor']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no monitor with id "no-such-monitor"/);
      await cli(['monitor', 'delete', db.id]);
      const after = await json<Monitor>(['monitor', 'show', app.id]);
      assert.deepEqual(after.dependsOn, []);
    });
  },
);

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { AlertLogEntry } from '../../src/services/alert-log-service.ts';
import type { MaintenanceView } from '../../src/services/maintenance-service.ts';
import type { MonitorStatusView } from '../../src/services/status-service.ts';
import {
  MAIL_FROM,
  MAIL_TO,
  SLACK_HOOK_SECRET,
  SMTP_LOGIN,
  slackProtocolProblems,
  slackText,
  startAlertingLab,
  type AlertingLab,
} from '../helpers/alerting-lab.ts';
import type { ApiClient } from '../../src/cli/api-client.ts';
import { runCrosscheck, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { listItems, localApi } from '../helpers/local-api.ts';

// Issue 12's proof through the real daemon and CLI: a Slack-style target and an SMTP target
// page once per outage and once per recovery; a repeating route re-pages until the incident
// is acknowledged, an escalation step pages only when nobody acknowledged in time; and a
// maintenance window silences an outage and leaves it out of uptime. The scenarios use their
// own monitors, tags and health paths, so they run side by side against one daemon.

/** The name of the sample monitor `alerts target test` sends about. */
const TEST_ALERT = 'Crosscheck test alert';
/** The shortest repeat and escalation delay routes accept (10 s). */
const REPEAT_MS = 10_000;
/** A CLI start costs seconds of CPU on a loaded machine, and the scenarios start several at once. */
const CLI_TIMEOUT_MS = 60_000;

describe(
  'alerting end to end: Slack and email targets through the real daemon',
  { timeout: 240_000, concurrency: true },
  () => {
    let dataDir: string;
    let lab: AlertingLab;
    let daemon: DaemonProcess | undefined;
    /** Waits poll the API the CLI talks to (a CLI start per poll would cost seconds each). */
    let api: ApiClient;
    const cli = async (args: string[]) => {
      const run = await runCrosscheck(args, { CROSSCHECK_DATA_DIR: dataDir }, CLI_TIMEOUT_MS);
      assert.equal(run.code, 0, `crosscheck ${args.join(' ')}: ${run.stderr}`);
      return run.stdout;
    };
    const json = async <T>(args: string[]) => JSON.parse(await cli([...args, '--json'])) as T;
    const route = (tag: string, target: string, ...timing: string[]) =>
      cli(['alerts', 'route', 'add', '--tag', tag, '--target', target, ...timing]);

    /**
     * Adds an http monitor on a health path, checked every second, with the path answering
     * `status` from the start; for 200, waits until it was checked twice (the monitor is up).
     * `routing`: its tags (`--tag T`, routed by rules) or its own routes (`--alert NAME`).
     */
    async function addMonitor(
      name: string,
      healthPath: string,
      status: 200 | 503,
      routing: string[],
    ): Promise<Monitor> {
      lab.health.set(healthPath, status);
      const monitor = await json<Monitor>([
        'monitor',
        'add',
        '--name',
        name,
        '--type',
        'http',
        '--target',
        lab.health.url(healthPath),
        ...routing,
        '--interval',
        '1s',
        '--timeout',
        '800ms',
      ]);
      if (status === 200) {
        await waitFor(
          () => (lab.health.hits(healthPath) >= 2 ? true : undefined),
          20_000,
          () => `checks of ${healthPath}`,
        );
      }
      return monitor;
    }

    async function openIncident(monitor: Monitor): Promise<Incident> {
      return waitFor(
        async () =>
          (
            await listItems<Incident>(api, `/api/v1/incidents?active=true&monitor=${monitor.id}`)
          )[0],
        30_000,
        () => `an open incident of ${monitor.name}`,
        250,
      );
    }

    const alertLog = (filter: string[]) => json<AlertLogEntry[]>(['alerts', 'log', ...filter]);
    const apiAlertLog = (monitor: Monitor) =>
      listItems<AlertLogEntry>(api, `/api/v1/alerts?monitor=${monitor.id}`);
    const targetOf = (entry: AlertLogEntry) => ('target' in entry.route ? entry.route.target : '');

    before(async () => {
      dataDir = tempDataDir();
      lab = await startAlertingLab(dataDir);
      daemon = await startDaemon(dataDir);
      api = localApi(dataDir, daemon.apiUrl);
      await Promise.all([
        cli(['alerts', 'target', 'add', 'ops-slack', '--type', 'slack', ...lab.slackFlags()]),
        cli(['alerts', 'target', 'add', 'ops-mail', '--type', 'email', ...lab.emailFlags()]),
      ]);
      // Monitors tagged team page both targets (rules); Web Shop names them itself (--alert).
      await Promise.all([route('team', 'ops-slack'), route('team', 'ops-mail')]);
    });

    after(async () => {
      await daemon?.stop('SIGKILL');
      await lab.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('lists and shows targets without their secrets; test prints the provider’s answer', async () => {
      const outputs = await Promise.all([
        cli(['alerts', 'target', 'list']),
        cli(['alerts', 'target', 'show', 'ops-slack']),
        cli(['alerts', 'target', 'show', 'ops-mail', '--json']),
      ]);
      for (const output of outputs) {
        assert.doesNotMatch(output, new RegExp(SLACK_HOOK_SECRET));
        assert.doesNotMatch(output, new RegExp(SMTP_LOGIN.password));
      }
      assert.match(outputs[0] ?? '', /ops-mail\s+email/);
      assert.match(outputs[0] ?? '', /ops-slack\s+slack/);
      const mail = JSON.parse(outputs[2] ?? '{}') as { settings: Record<string, unknown> };
      assert.equal(mail.settings['username'], SMTP_LOGIN.username, 'the login name is no secret');
      assert.equal(mail.settings['password'], '***');

      const tested = await cli(['alerts', 'target', 'test', 'ops-slack']);
      const samples = lab.slackAbout(TEST_ALERT);
      assert.equal(samples.length, 1, 'the sample reached the Slack endpoint');
      assert.deepEqual(samples.map(slackProtocolProblems), [[]]);
      assert.match(tested, /200/);
      assert.match(tested, /answer\W+ok\b/, `Slack’s answer body ("ok") is printed: ${tested}`);
      assert.doesNotMatch(tested, new RegExp(SLACK_HOOK_SECRET));
      const mailed = await json<{ ok: boolean; status: number | null; answer: string }>([
        'alerts',
        'target',
        'test',
        'ops-mail',
      ]);
      assert.equal(mailed.ok, true);
      assert.equal(mailed.status, 250, 'the SMTP server’s reply to DATA');
      assert.match(mailed.answer, /^250 /);
      assert.equal(lab.mailsAbout(TEST_ALERT).length, 1, 'the sample mail arrived');
    });

    it('pages Slack and email once each when a monitor goes down, and once each when it recovers', async () => {
      const routes = ['--alert', 'ops-slack', '--alert', 'ops-mail'];
      const monitor = await addMonitor('Web Shop', '/web', 200, routes);
      lab.health.set('/web', 503);
      const [slackDown] = await lab.waitSlack('Web Shop', 1);
      const [mailDown] = await lab.waitMails('Web Shop', 1);
      lab.health.set('/web', 200);
      await lab.waitSlack('Web Shop', 2);
      await lab.waitMails('Web Shop', 2);

      await waitFor(
        async () => {
          const entries = await apiAlertLog(monitor);
          return entries.length >= 4 && entries.every((e) => e.status === 'sent')
            ? true
            : undefined;
        },
        20_000,
        () => 'four sent alerts of Web Shop',
        250,
      );
      const log = await alertLog(['--monitor', monitor.id]);
      assert.deepEqual(log.map((e) => `${e.kind} → ${targetOf(e)}`).sort(), [
        'down → ops-mail',
        'down → ops-slack',
        'recovered → ops-mail',
        'recovered → ops-slack',
      ]);
      // Everything is sent and logged: nothing more arrives than the four alerts.
      const slack = lab.slackAbout('Web Shop');
      const mails = lab.mailsAbout('Web Shop');
      assert.equal(slack.length, 2, 'one Slack message down, one recovered');
      assert.equal(mails.length, 2, 'one mail down, one recovered');

      for (const request of slack) assert.deepEqual(slackProtocolProblems(request), []);
      assert.ok(slackDown !== undefined && mailDown !== undefined);
      assert.match(slackText(slackDown), /down/i);
      assert.match(slackText(slack[1] ?? slackDown), /recovered|up again|back up/i);

      const [down, recovered] = mails;
      assert.ok(down !== undefined && recovered !== undefined);
      for (const mail of mails) {
        assert.match(mail.subject ?? '', /^\[Crosscheck\] .*Web Shop/);
        assert.match(mail.text ?? '', /Web Shop/, 'a text part naming the monitor');
        assert.match(String(mail.html), /Web Shop/, 'an HTML part naming the monitor');
        assert.deepEqual(
          mail.to === undefined
            ? []
            : [mail.to].flat().flatMap((a) => a.value.map((v) => v.address)),
          [MAIL_TO],
        );
        assert.equal(mail.from?.value[0]?.address, MAIL_FROM);
      }
      assert.match(down.subject ?? '', /down/i);
      assert.equal(recovered.inReplyTo, down.messageId, 'the recovery threads under the outage');
    });

    it('re-pages every 10 s until acknowledged and escalates once unacknowledged, then stays quiet', async () => {
      await Promise.all([
        route('pay', 'ops-slack', '--repeat', '10s'),
        route('pay', 'ops-mail', '--escalate-after', '10s'),
      ]);
      const monitor = await addMonitor('Checkout API', '/pay', 200, ['--tag', 'pay']);
      lab.health.set('/pay', 503);
      await lab.waitSlack('Checkout API', 1);
      const incident = await openIncident(monitor);
      // The reminder and the escalation both fall due 10 s after the incident opened.
      const [, reminder] = await lab.waitSlack('Checkout API', 2);
      const [escalation] = await lab.waitMails('Checkout API', 1);
      const acked = await json<Incident>(['incidents', 'ack', incident.id]);
      const ackedAt = acked.acknowledgement?.at;
      assert.ok(ackedAt !== undefined);

      // Two more repeat periods (and the timer's tick) pass without a page.
      await sleepUntil(ackedAt + 2 * REPEAT_MS + 2_000);
      const log = await alertLog(['--incident', incident.id]);
      assert.deepEqual(
        log.filter((e) => e.at > ackedAt),
        [],
        'nothing is paged after the acknowledgement',
      );
      const byTarget = (target: string) =>
        log
          .filter((e) => targetOf(e) === target)
          .map((e) => e.reason)
          .sort();
      const slackReasons = byTarget('ops-slack');
      assert.equal(slackReasons[0], 'new-incident');
      assert.ok(slackReasons.length >= 2, 'at least one reminder before the acknowledgement');
      assert.ok(slackReasons.slice(1).every((r) => r === 'repeat-unacknowledged'));
      assert.deepEqual(byTarget('ops-mail'), ['escalation-unacknowledged'], 'one escalation');
      const escalated = log.find((e) => targetOf(e) === 'ops-mail');
      assert.ok(escalated !== undefined && escalated.at >= incident.openedAt + REPEAT_MS);
      assert.ok(log.every((e) => e.status === 'sent'));

      assert.equal(
        lab.slackAbout('Checkout API').length,
        slackReasons.length,
        JSON.stringify({ texts: lab.slackAbout('Checkout API').map(slackText), log }, null, 1),
      );
      assert.equal(lab.mailsAbout('Checkout API').length, 1);
      assert.ok(reminder !== undefined && escalation !== undefined);
      assert.match(slackText(reminder), /Still down after .*not acknowledged — reminder 1/);
      assert.match(escalation.text ?? '', /Escalated: down for .* and not acknowledged/);
    });

    it('an escalation step pages nobody when the incident is acknowledged in time', async () => {
      await route('queue', 'ops-mail', '--escalate-after', '20s');
      const monitor = await addMonitor('Queue Worker', '/queue', 503, ['--tag', 'queue']);
      const incident = await openIncident(monitor);
      const acked = await json<Incident>(['incidents', 'ack', incident.id, '--note', 'on it']);
      const ackedAt = acked.acknowledgement?.at ?? Infinity;
      assert.ok(
        ackedAt < incident.openedAt + 20_000,
        'premise: acknowledged before the escalation step (20 s)',
      );
      await sleepUntil(incident.openedAt + 20_000 + 3_000);
      assert.deepEqual(await alertLog(['--monitor', monitor.id]), [], 'nothing paged or stored');
      assert.deepEqual(lab.mailsAbout('Queue Worker'), []);
    });

    it('a maintenance window silences the next outage and leaves it out of uptime', async () => {
      // Observed up outside the window first, so the monitor has uptime to speak of.
      const monitor = await addMonitor('Reports', '/reports', 200, ['--tag', 'team']);
      const window = await json<MaintenanceView>([
        'maintenance',
        'add',
        'db-upgrade',
        '--monitor',
        monitor.id,
        '--start',
        new Date().toISOString(),
        '--end',
        new Date(Date.now() + 10 * 60_000).toISOString(),
      ]);
      assert.equal(window.active, true);
      lab.health.set('/reports', 503);
      const incident = await openIncident(monitor);
      assert.equal(incident.maintenance?.name, 'db-upgrade', 'the incident is marked');

      lab.health.set('/reports', 200);
      await waitFor(
        async () =>
          (await apiAlertLog(monitor)).some((e) => e.kind === 'recovered') ? true : undefined,
        30_000,
        () => 'the recovery decided',
        250,
      );
      const [log, shown] = await Promise.all([
        alertLog(['--monitor', monitor.id]),
        cli(['incidents', 'show', incident.id]),
      ]);
      assert.match(shown, /maintenance: +db-upgrade \(nothing paged\)/);
      // The outage is held back for maintenance; its recovery because its opening was.
      assert.deepEqual(
        log.map((e) => `${e.kind} → ${targetOf(e)}: ${e.status} (${e.reason})`).sort(),
        [
          'down → ops-mail: suppressed (maintenance)',
          'down → ops-slack: suppressed (maintenance)',
          'recovered → ops-mail: suppressed (opening-suppressed)',
          'recovered → ops-slack: suppressed (opening-suppressed)',
        ],
      );
      assert.deepEqual(lab.slackAbout('Reports'), [], 'no Slack message');
      assert.deepEqual(lab.mailsAbout('Reports'), [], 'no mail');

      const row = (await json<MonitorStatusView[]>(['status'])).find((r) => r.id === monitor.id);
      assert.equal(row?.maintenance?.name, 'db-upgrade');
      assert.equal(row.uptime['24h'], 1, 'the outage in maintenance is not downtime');
      const history = await cli(['history', monitor.id]);
      assert.match(history, /uptime, last 24h: 100% \(confirmed downtime 0ms\)/);
    });
  },
);

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

import { Command } from 'commander';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentDetail } from '../../services/consensus-views.ts';
import { formatDuration } from '../../lib/duration.ts';
import { validationError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { monitorNames, withBackend } from '../context.ts';
import { collectPages } from '../backend.ts';
import { getIncident, listIncidents } from '../../operations/history-ops.ts';
import {
  acknowledgeIncident,
  explainIncidentVerdict,
  listIncidentEvidence,
} from '../../operations/incident-ops.ts';
import { addIncidentUpdate } from '../../operations/incident-update-ops.ts';
import type { IncidentUpdateStatus } from '../../domain/status-page.ts';
import { INCIDENT_UPDATE_STATUSES } from '../../domain/status-page.ts';
import { getMonitor } from '../../operations/monitor-ops.ts';
import type { Output } from '../output.ts';
import { isoTime, renderTable, statusText } from '../output.ts';
import { printExplanation } from './explain-output.ts';
import { printRound, verdictText } from './rounds-output.ts';

function duration(incident: Incident): string {
  if (incident.status === 'retracted') return 'none (retracted)';
  if (incident.durationMs !== null) return formatDuration(incident.durationMs);
  return `${formatDuration(Date.now() - incident.startedAt)} so far`;
}

/** "alice at <time>: note", or "-" while nobody acknowledged it. */
function acknowledgementText(incident: Incident): string {
  const ack = incident.acknowledgement;
  if (ack === null) return '-';
  return `${ack.by} at ${isoTime(ack.at)}${ack.note === null ? '' : `: ${ack.note}`}`;
}

function printIncident(out: Output, incident: IncidentDetail, monitorName: string): void {
  const rows: [string, string][] = [
    ['id', incident.id],
    [
      'monitor',
      monitorName === incident.monitorId ? monitorName : `${monitorName} (${incident.monitorId})`,
    ],
    ['status', statusText(out, incident.status)],
    ['verdict', verdictText(incident.verdict, incident.regions)],
    ['started', isoTime(incident.startedAt)],
    ['confirmed', isoTime(incident.openedAt)],
    ['ended', isoTime(incident.endedAt)],
    ['resolved', isoTime(incident.resolvedAt)],
    ['duration', duration(incident)],
    ['error', incident.errorKind ?? '-'],
    ['cause', incident.cause],
    ['acked', acknowledgementText(incident)],
    ...(incident.maintenance === null
      ? []
      : ([['maintenance', `${incident.maintenance.name} (nothing paged)`]] as [string, string][])),
    ...(incident.causedBy === null
      ? []
      : ([
          [
            'caused by',
            `${incident.causedBy.monitorName} (${incident.causedBy.incidentId}; nothing paged)`,
          ],
        ] as [string, string][])),
    ...(incident.groupId === null
      ? []
      : ([
          ['shared cause', `paged with others: crosscheck incidents group ${incident.groupId}`],
        ] as [string, string][])),
    ...(incident.status === 'retracted'
      ? ([
          ['retracted', isoTime(incident.retractedAt)],
          ['why', incident.retraction ?? '-'],
        ] as [string, string][])
      : []),
  ];
  // At least one space after the longest label ("maintenance:" is 12 characters).
  const width = Math.max(12, ...rows.map(([key]) => key.length + 2));
  for (const [key, value] of rows) out.line(`${`${key}:`.padEnd(width)}${value}`);
  out.line(
    `\nevidence: ${incident.evidence.length === 0 ? 'no rounds recorded' : `${incident.evidence.length} round(s), oldest first`}`,
  );
  for (const round of incident.evidence) {
    out.line();
    printRound(out, round);
  }
}

/** `crosscheck incidents [--active] [--monitor id]`, `incidents show|ack|explain|evidence <id>`. */
export function incidentsCommand(ctx: CliContext): Command {
  const incidents = new Command('incidents')
    .description('list incidents (newest first)')
    .option('--active', 'only open incidents')
    .option('--monitor <id>', 'only this monitor')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { active?: boolean; monitor?: string; limit?: string; json?: boolean },
        command: Command,
      ) => {
        const limit = opts.limit === undefined ? 100 : Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw validationError([{ path: '--limit', message: 'expected a positive whole number' }]);
        await withBackend(command, ctx, async (backend) => {
          if (opts.monitor) await backend.call(getMonitor, { id: opts.monitor });
          const list = await collectPages(
            backend,
            listIncidents,
            {
              ...(opts.active ? { active: true } : {}),
              ...(opts.monitor ? { monitor: opts.monitor } : {}),
              limit,
            },
            limit,
          );
          if (opts.json) return ctx.out.json(list);
          if (list.length === 0)
            return ctx.out.line(opts.active ? 'No open incidents.' : 'No incidents.');
          const nameOf = await monitorNames(backend);
          ctx.out.line(
            renderTable(
              ctx.out,
              [
                'ID',
                'MONITOR',
                'STATUS',
                'VERDICT',
                'STARTED',
                'ENDED',
                'DURATION',
                'ACK',
                'CAUSE',
              ],
              list.map((i) => [
                i.id,
                nameOf(i.monitorId),
                statusText(ctx.out, i.status),
                verdictText(i.verdict, i.regions),
                isoTime(i.startedAt),
                isoTime(i.endedAt),
                duration(i),
                i.acknowledgement?.by ?? '-',
                i.cause.slice(0, 60),
              ]),
            ),
          );
        });
      },
    );
  incidents
    .command('show')
    .argument('<id>')
    .description("show one incident with its evidence: every round, every node's vote")
    .option('--json', 'print JSON: the incident plus evidence (rounds with their votes)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      // `incidents` has its own --json, which commander gives to the parent: read both.
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      await withBackend(command, ctx, async (backend) => {
        const incident = await backend.call(getIncident, { id });
        if (json) return ctx.out.json(incident);
        const nameOf = await monitorNames(backend);
        printIncident(ctx.out, incident, nameOf(incident.monitorId));
      });
    });
  incidents
    .command('ack')
    .argument('<id>')
    .description('acknowledge an open incident: record that you are on it (and stop re-notifying)')
    .option('--note <text>', 'what you are doing about it')
    .option('--json', 'print the incident as JSON')
    .action(async (id: string, opts: { note?: string }, command: Command) => {
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      await withBackend(command, ctx, async (backend) => {
        const incident = await backend.call(acknowledgeIncident, {
          id,
          ...(opts.note !== undefined ? { note: opts.note } : {}),
        });
        if (json) return ctx.out.json(incident);
        ctx.out.line(`Acknowledged ${incident.id}: ${acknowledgementText(incident)}`);
      });
    });
  incidents
    .command('update')
    .argument('<id>')
    .description('post an update on an incident: shown on status pages unless --internal')
    .requiredOption('--status <status>', `one of ${INCIDENT_UPDATE_STATUSES.join(', ')}`)
    .requiredOption('--message <text>', 'what people should know')
    .option('--internal', 'an internal note: never on a status page or feed')
    .option('--json', 'print the update as JSON')
    .action(
      async (
        id: string,
        opts: { status: string; message: string; internal?: boolean },
        command: Command,
      ) => {
        const { json } = command.optsWithGlobals<{ json?: boolean }>();
        await withBackend(command, ctx, async (backend) => {
          const update = await backend.call(addIncidentUpdate, {
            incident: id,
            // The operation's schema judges the text and names the field when it is wrong.
            status: opts.status as IncidentUpdateStatus,
            message: opts.message,
            public: opts.internal !== true,
          });
          if (json) return ctx.out.json(update);
          const where = update.public ? 'published' : 'internal note';
          ctx.out.line(`Posted ${update.status} update on ${update.incidentId} (${where})`);
        });
      },
    );
  incidents
    .command('explain')
    .argument('<id>')
    .description('explain an incident: who saw what, from where, and why the verdict followed')
    .option('--json', 'print JSON: summary, quorum rule, rounds with every node’s vote')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      await withBackend(command, ctx, async (backend) => {
        const view = await backend.call(explainIncidentVerdict, { id });
        if (json) return ctx.out.json(view);
        printExplanation(ctx.out, view);
      });
    });
  incidents
    .command('evidence')
    .argument('<id>')
    .description(
      'what failed browser checks showed during an incident: screenshots, console errors',
    )
    .option(
      '--json',
      'print JSON: each failure with its node, time, console errors, screenshot URL',
    )
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      await withBackend(command, ctx, async (backend) => {
        const { items } = await backend.call(listIncidentEvidence, { id });
        if (json) return ctx.out.json({ items });
        if (items.length === 0) return ctx.out.line('no browser evidence for this incident');
        for (const item of items) {
          const shot =
            item.screenshotUrl === null
              ? 'no screenshot'
              : `screenshot ${item.screenshotBytes} bytes at ${item.screenshotUrl}`;
          ctx.out.line(`${isoTime(item.checkedAt)}  ${item.nodeId}  ${shot}`);
          for (const error of item.consoleErrors) ctx.out.line(`  console error: ${error}`);
        }
      });
    });
  return incidents;
}

import { Command } from 'commander';
import type { ClusterOverview } from '../../services/cluster/cluster-service.ts';
import type { FailingView } from '../../services/consensus-views.ts';
import type { MonitorStatusView } from '../../services/status-service.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { collectPages } from '../backend.ts';
import { clusterOverview } from '../../operations/cluster-ops.ts';
import { monitorStatus } from '../../operations/monitor-ops.ts';
import { ago, isoTime, latency, percent, renderTable, statusText } from '../output.ts';

function clusterLine(c: ClusterOverview): string {
  const states = [
    `${c.nodes.online} online`,
    ...(c.nodes.grace > 0 ? [`${c.nodes.grace} in grace`] : []),
    ...(c.nodes.missing > 0 ? [`${c.nodes.missing} missing`] : []),
  ].join(', ');
  const regions = c.regions
    .map((r) => `${r.region ?? 'no region'} ${r.online}/${r.total}`)
    .join(', ');
  return `cluster: ${c.nodes.total} nodes (${states}); coordinator ${c.coordinator.name}; regions: ${regions}`;
}

/** "failing from eu-west (2 of 5 nodes)"; nodes outside the named regions are named too. */
export function failingNote(failing: FailingView): string {
  const inRegions = new Set(failing.regions);
  const loose = failing.nodes
    .filter((n) => n.region === null || !inRegions.has(n.region))
    .map((n) => n.name);
  const places = [...failing.regions, ...loose];
  const where =
    places.length <= 1
      ? (places[0] ?? '')
      : `${places.slice(0, -1).join(', ')} and ${places.at(-1) ?? ''}`;
  return `failing from ${where} (${failing.nodes.length} of ${failing.of} nodes)`;
}

/** The status cell: "regional: eu-west" for a regional incident, the bare status otherwise. */
function statusCell(row: MonitorStatusView): string {
  const base =
    row.status === 'regional' && row.regions.length > 0
      ? `regional: ${row.regions.join(', ')}`
      : row.status;
  return row.maintenance === null ? base : `${base} (maintenance)`;
}

/**
 * The message cell: a failed last result names the node that reported it, and says "local"
 * while no quorum confirmed it (or "node error" when the node could not run the check), so an
 * error never sits unexplained beside "up".
 */
export function messageCell(row: MonitorStatusView): string {
  const message = row.lastMessage ?? '';
  const failed = row.lastResult === 'failed' || row.lastResult === 'node-error';
  if (!failed || row.lastNode === null) return message.slice(0, 60);
  const confirmed = row.status === 'down' || row.status === 'regional';
  const qualifier = row.lastResult === 'node-error' ? ' (node error)' : confirmed ? '' : ' (local)';
  return `${row.lastNode.name}: ${message.slice(0, 50)}${qualifier}`;
}

/** Notes under the table: sub-quorum failures, regions with their own uptime, nodes in trouble. */
function notesOf(row: MonitorStatusView): string[] {
  const notes: string[] = [];
  if (row.maintenance)
    notes.push(
      `${row.name} is in maintenance (${row.maintenance.name}) until ${isoTime(row.maintenance.until)}: nothing pages`,
    );
  if (row.failing) notes.push(`${row.name} ${failingNote(row.failing)}`);
  for (const r of row.regionUptime)
    notes.push(
      `${row.name} uptime in ${r.region}: 24h ${percent(r.uptime['24h'])}, 30d ${percent(r.uptime['30d'])}`,
    );
  for (const n of row.nodes.filter((n) => n.failures > 0 || n.errors > 0 || n.localFailures > 0))
    notes.push(
      `${row.name} on ${n.name}: ${percent(n.passing)} of its own checks passed in 24h, ${n.failures} failed, ${n.errors} node errors, ${n.localFailures} local rounds`,
    );
  return notes;
}

/** "3 monitors, 1 down" plus every other non-up state that has monitors. */
function summaryLine(rows: readonly MonitorStatusView[]): string {
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  const extra = (['regional', 'unknown', 'flapping'] as const)
    .filter((status) => count(status) > 0)
    .map((status) => `, ${count(status)} ${status}`)
    .join('');
  return `${rows.length} monitors, ${count('down')} down${extra}`;
}

/** `crosscheck status`: every monitor's state, last check, latency and uptime. */
export function statusCommand(ctx: CliContext): Command {
  return new Command('status')
    .description(
      'every monitor: state, last check, latency, uptime 24h/7d/30d/90d (confirmed downtime)',
    )
    .option('--group <group>', 'only this group')
    .option('--json', 'print JSON')
    .action(async (opts: { group?: string; json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const rows = await collectPages(
          backend,
          monitorStatus,
          opts.group ? { group: opts.group } : {},
        );
        if (opts.json) return ctx.out.json(rows);
        const cluster = await backend.call(clusterOverview, {});
        if (cluster) ctx.out.line(`${clusterLine(cluster)}\n`);
        if (rows.length === 0)
          return ctx.out.line('No monitors yet. Add one with: crosscheck monitor add --help');
        const now = Date.now();
        ctx.out.line(
          renderTable(
            ctx.out,
            [
              'STATUS',
              'NAME',
              'ID',
              'TYPE',
              'LAST CHECK',
              'LATENCY',
              '24H',
              '7D',
              '30D',
              '90D',
              'MESSAGE',
            ],
            rows.map((r) => [
              statusText(ctx.out, statusCell(r)),
              r.name,
              r.id,
              r.type,
              ago(r.lastCheckedAt, now),
              latency(r.lastLatencyMs),
              percent(r.uptime['24h']),
              percent(r.uptime['7d']),
              percent(r.uptime['30d']),
              percent(r.uptime['90d']),
              messageCell(r),
            ]),
          ),
        );
        const notes = rows.flatMap(notesOf);
        if (notes.length > 0) ctx.out.line();
        for (const note of notes) ctx.out.line(`note: ${note}`);
        ctx.out.line(
          `\n${summaryLine(rows)}${backend.online ? '' : ' (daemon not running: showing stored state)'}`,
        );
      });
    });
}

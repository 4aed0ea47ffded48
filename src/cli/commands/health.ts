import { Command } from 'commander';
import { formatDuration } from '../../lib/duration.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { health } from '../../operations/cluster-ops.ts';
import type { HealthView } from '../../services/health-service.ts';

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(2)} MB`;
}

/** The raw window, and the budget that may shorten it: `kept 30h (budget 20.00 GB …)`. */
function rawWindowLine(storage: NonNullable<HealthView['storage']>): string {
  const kept = `kept ${formatDuration(storage.rawWindowMs)}`;
  if (storage.budgetBytes === null) return `${kept} (--retain-results)`;
  const budget = `budget ${(storage.budgetBytes / 1e9).toFixed(2)} GB`;
  if (storage.overBudget) return `${kept} (${budget} exceeded even at the 1h floor)`;
  if (storage.limitedBy === 'budget')
    return `${kept} (${budget}; --retain-results ${formatDuration(storage.configuredRawWindowMs)})`;
  return `${kept} (${budget})`;
}

/** `crosscheck health`: version, uptime, data dir, db size, monitors, checks/s. */
export function healthCommand(ctx: CliContext): Command {
  return new Command('health')
    .description('this node: version, uptime, data dir, database size, monitors, checks/s')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const h = await backend.call(health, {});
        if (opts.json) return ctx.out.json(h);
        const rows: [string, string][] = [
          ['version', h.version],
          [
            'daemon',
            h.running && h.runtime
              ? `running (pid ${h.runtime.pid}, node ${h.runtime.nodeId})`
              : 'not running',
          ],
          ['uptime', h.uptimeMs === null ? '-' : formatDuration(h.uptimeMs)],
          ['data dir', h.dataDir],
          [
            'database',
            h.database === null
              ? '- (agent: results go to the coordinator)'
              : `${h.database.path} (${megabytes(h.database.sizeBytes)})`,
          ],
          [
            'monitors',
            `${h.monitors.total} (${h.monitors.active} active, ${h.monitors.paused} paused)`,
          ],
          ['results', h.results === null ? '-' : String(h.results)],
          ['open incidents', h.openIncidents === null ? '-' : String(h.openIncidents)],
          ['checks/s', h.checksPerSecond === null ? '-' : h.checksPerSecond.toFixed(2)],
        ];
        if (h.storage) rows.push(['raw results', rawWindowLine(h.storage)]);
        if (h.runtime) {
          const { rssBytes, heapUsedBytes } = h.runtime.memory;
          rows.push(['memory', `${megabytes(rssBytes)} RSS, ${megabytes(heapUsedBytes)} heap`]);
          rows.push([
            'scheduler',
            `${h.runtime.scheduler.jobs} jobs, ${h.runtime.scheduler.inFlight} running, ${h.runtime.scheduler.queued} queued, ${h.runtime.scheduler.runsSkipped} slots skipped`,
          ]);
        }
        const c = h.cluster;
        if (c) {
          rows.push(['node', `${c.name} (${c.role}, ${c.region ?? 'no region'}, ${c.nodeId})`]);
          if (c.peerAddress) rows.push(['peer port', c.peerAddress]);
          if (c.coordinator)
            rows.push([
              'coordinator',
              `${c.coordinator.name} at ${c.coordinator.address} (${c.coordinator.connected ? 'connected' : 'unreachable'})`,
            ]);
          if (c.outbox)
            rows.push([
              'outbox',
              `${c.outbox.backlog} results waiting${c.outbox.dropped ? `, ${c.outbox.dropped} dropped` : ''}`,
            ]);
          if (c.canaries)
            rows.push([
              'canaries',
              c.canaries.total === 0
                ? 'none'
                : `${c.canaries.total} (${c.canaries.failing} failing${c.canaries.failing * 2 > c.canaries.total ? ': votes abstain' : ''})`,
            ]);
          if (c.suspects !== undefined) rows.push(['suspect here', String(c.suspects)]);
        }
        for (const [key, value] of rows) ctx.out.line(`${`${key}:`.padEnd(16)}${value}`);
      });
    });
}

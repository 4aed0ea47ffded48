import { Command } from 'commander';
import type { ClusterOverview } from '../../services/cluster/cluster-service.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { ago, latency, percent, renderTable, statusText } from '../output.ts';

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

/** `crosscheck status`: every monitor's state, last check, latency and uptime. */
export function statusCommand(ctx: CliContext): Command {
  return new Command('status')
    .description('every monitor: state, last check, latency, uptime 24h/7d/30d')
    .option('--group <group>', 'only this group')
    .option('--json', 'print JSON')
    .action(async (opts: { group?: string; json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const rows = await backend.status(opts.group ? { group: opts.group } : {});
        if (opts.json) return ctx.out.json(rows);
        const cluster = await backend.clusterOverview();
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
              'MESSAGE',
            ],
            rows.map((r) => [
              statusText(ctx.out, r.status),
              r.name,
              r.id,
              r.type,
              ago(r.lastCheckedAt, now),
              latency(r.lastLatencyMs),
              percent(r.uptime['24h']),
              percent(r.uptime['7d']),
              percent(r.uptime['30d']),
              (r.lastMessage ?? '').slice(0, 60),
            ]),
          ),
        );
        const down = rows.filter((r) => r.status === 'down').length;
        ctx.out.line(
          `\n${rows.length} monitors, ${down} down${backend.online ? '' : ' (daemon not running: showing stored state)'}`,
        );
      });
    });
}

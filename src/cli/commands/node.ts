import { formatDuration } from '../../lib/duration.ts';
import { describeRoute, isTargetRoute } from '../../domain/alert-target.ts';
import type { NodeView } from '../../services/cluster/cluster-service.ts';
import { Command } from 'commander';
import { validationError } from '../../lib/errors.ts';
import { collectRepeated } from '../check-flags.ts';
import { targetRoute } from './monitor-flags.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { collectPages } from '../backend.ts';
import {
  getNode,
  listNodes,
  nodeAlertRoutes,
  removeNode,
  setNodeAlertRoutes,
} from '../../operations/cluster-ops.ts';
import { ago, isoTime, renderTable, statusText } from '../output.ts';

function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** `crosscheck node list|show|remove`: the cluster's members. */
export function nodeCommand(ctx: CliContext): Command {
  const node = new Command('node').description('cluster nodes: list, show, remove');

  node
    .command('list')
    .description('every node with its region, state and last heartbeat')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const nodes = await collectPages(backend, listNodes, {});
        if (opts.json) return ctx.out.json(nodes);
        const now = Date.now();
        ctx.out.line(
          renderTable(
            ctx.out,
            [
              'STATE',
              'HEALTH',
              'NAME',
              'ID',
              'ROLE',
              'REGION',
              'LAST SEEN',
              'CHECKS/S',
              'CLOCK',
              'VERSION',
            ],
            nodes.map((n) => [
              statusText(ctx.out, n.state),
              healthText(n),
              n.name,
              n.id,
              n.role,
              n.region ?? '-',
              ago(n.lastSeen, now),
              n.checksPerSecond === null ? '-' : n.checksPerSecond.toFixed(1),
              n.clockOffsetMs === null
                ? '-'
                : `${n.clockOffsetMs >= 0 ? '+' : ''}${n.clockOffsetMs} ms`,
              n.version,
            ]),
          ),
        );
      });
    });

  node
    .command('show')
    .description('one node: facts and its membership history')
    .argument('<id>', 'node id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const shown = await backend.call(getNode, { id });
        if (opts.json) return ctx.out.json(shown);
        const n = shown.node;
        const rows: [string, string][] = [
          ['id', n.id],
          ['name', n.name],
          ['role', n.role],
          ['state', `${statusText(ctx.out, n.state)} since ${isoTime(n.stateSince)}`],
          [
            'health',
            n.impairedSince === null
              ? 'healthy (its votes count)'
              : `impaired since ${isoTime(n.impairedSince)} (its votes are set aside)`,
          ],
          [
            'canaries',
            n.canaries === null
              ? '-'
              : `${n.canaries.failing} of ${n.canaries.total} failing${n.canaries.total > 0 && n.canaries.failing * 2 > n.canaries.total ? ' (abstains)' : ''}`,
          ],
          ['region', n.region ?? '-'],
          ['labels', labelsText(n.labels) || '-'],
          ['last seen', `${ago(n.lastSeen)} (${isoTime(n.lastSeen)})`],
          ['version', n.version],
          ['checks/s', n.checksPerSecond === null ? '-' : n.checksPerSecond.toFixed(2)],
          ['clock offset', n.clockOffsetMs === null ? '-' : `${n.clockOffsetMs} ms`],
          ['outbox backlog', n.outboxBacklog === null ? '-' : String(n.outboxBacklog)],
          ['address', n.remoteAddress ?? '-'],
          ['enrolled', isoTime(n.enrolledAt)],
          ['certificate', `valid until ${isoTime(n.certNotAfter)}`],
        ];
        for (const [key, value] of rows) ctx.out.line(`${`${key}:`.padEnd(16)}${value}`);
        if (shown.anomalies.length > 0) {
          ctx.out.line('\nfailed alone (last 24 h; the cluster saw these monitors up):');
          for (const a of shown.anomalies)
            ctx.out.line(`  ${isoTime(a.decidedAt)}  ${a.monitorId}  ${a.message}`);
        }
        if (shown.events.length > 0) {
          ctx.out.line('\nhistory:');
          for (const event of shown.events)
            ctx.out.line(`  ${isoTime(event.at)}  ${event.from ?? '-'} → ${event.to}`);
        }
      });
    });

  node
    .command('remove')
    .description('remove a node: its certificate is revoked and it can no longer connect')
    .argument('<id>', 'node id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const removed = await backend.call(removeNode, { id });
        if (opts.json) return ctx.out.json(removed);
        ctx.out.line(`removed ${removed.name} (${removed.id}); its certificate is revoked`);
      });
    });

  node
    .command('alerts')
    .description(
      'where node alerts go (a node missing, back online, impaired, healthy); without flags, show them',
    )
    .option(
      '--target <name>',
      'send node alerts to this named alert target (repeatable)',
      collectRepeated,
    )
    .option('--webhook <url>', 'send node alerts as signed JSON POSTs to this URL')
    .option('--webhook-secret <secret>', 'HMAC-SHA256 signing secret (min 16 chars)')
    .option('--clear', 'send node alerts nowhere')
    .option('--json', 'print JSON')
    .action(async (opts: NodeAlertFlags, command: Command) => {
      const routes = nodeAlertRoutesFromFlags(opts);
      await withBackend(command, ctx, async (backend) => {
        const result =
          routes === undefined
            ? await backend.call(nodeAlertRoutes, {})
            : await backend.call(setNodeAlertRoutes, { alerts: routes });
        if (opts.json) return ctx.out.json(result);
        if (result.alerts.length === 0) return ctx.out.line('node alerts go nowhere');
        for (const route of result.alerts)
          ctx.out.line(
            isTargetRoute(route)
              ? describeRoute(route, formatDuration)
              : `${route.channel} ${JSON.stringify(route.settings)}`,
          );
      });
    });

  return node;
}

/** "impaired" or "ok", for the node table. */
function healthText(node: NodeView): string {
  return node.impairedSince === null ? 'ok' : 'impaired';
}

interface NodeAlertFlags {
  target?: string[];
  webhook?: string;
  webhookSecret?: string;
  clear?: boolean;
  json?: boolean;
}

/** The node alert routes the flags set; undefined when they set none (show them instead). */
function nodeAlertRoutesFromFlags(
  opts: NodeAlertFlags,
):
  | (ReturnType<typeof targetRoute> | { channel: string; settings: Record<string, unknown> })[]
  | undefined {
  if (opts.webhookSecret !== undefined && opts.webhook === undefined)
    throw validationError([{ path: '--webhook-secret', message: 'needs --webhook <url>' }]);
  const routes = [
    ...(opts.target ?? []).map(targetRoute),
    ...(opts.webhook === undefined
      ? []
      : [
          {
            channel: 'webhook',
            settings: {
              url: opts.webhook,
              ...(opts.webhookSecret ? { secret: opts.webhookSecret } : {}),
            },
          },
        ]),
  ];
  if (opts.clear === true) {
    if (routes.length > 0)
      throw validationError([
        { path: '--clear', message: 'cannot be combined with --target or --webhook' },
      ]);
    return [];
  }
  return routes.length === 0 ? undefined : routes;
}

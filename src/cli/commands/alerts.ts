import { isTargetRoute } from '../../domain/alert-target.ts';
import { alertRouteCommand, alertTargetCommand } from './alert-targets.ts';
import { Command } from 'commander';
import { validationError } from '../../lib/errors.ts';
import type { AlertLogEntry, AlertLogQuery } from '../../services/alert-log-service.ts';
import { alertLogQuery } from '../../services/alert-log-service.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { collectPages } from '../backend.ts';
import { alertLog } from '../../operations/history-ops.ts';
import type { Output } from '../output.ts';
import { isoTime, renderTable, statusText } from '../output.ts';

interface LogFlags {
  monitor?: string;
  incident?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

/** The flags through the same schema as the API's query, problems named by their flag. */
function parseLogFlags(flags: LogFlags): AlertLogQuery {
  const { json: _json, ...filters } = flags;
  const parsed = alertLogQuery.safeParse(filters);
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((issue) => ({
        path: `--${issue.path.map(String).join('.')}`,
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/** "API (mon_1)" for a monitor, "node agent-eu" for a node alert. */
function subject(entry: AlertLogEntry): string {
  if (entry.monitor !== null) return `${entry.monitor.name} (${entry.monitor.id})`;
  if (entry.node !== null) return `node ${entry.node.name}`;
  return '-';
}

/** The channel and where it sends, as the channel shows it (secrets already masked). */
function routeText(entry: AlertLogEntry): string {
  const route = entry.route;
  if (isTargetRoute(route)) return route.target;
  const target = route.settings['url'];
  return typeof target === 'string' ? `${route.channel} ${target}` : route.channel;
}

/** Why it was decided, what the provider answered, and when it is tried next. */
function detail(entry: AlertLogEntry): string {
  // A sent alert keeps the error of the try before it: history, not its state.
  const error =
    entry.status === 'sent' && entry.lastError !== null
      ? `earlier try: ${entry.lastError}`
      : entry.lastError;
  const parts = [entry.reason, error];
  if (entry.nextAttemptAt !== null) parts.push(`next try ${isoTime(entry.nextAttemptAt)}`);
  return parts.filter((p): p is string => p !== null && p !== '').join(' · ');
}

function printLog(out: Output, entries: readonly AlertLogEntry[]): void {
  out.line(
    renderTable(
      out,
      ['WHEN', 'SUBJECT', 'INCIDENT', 'KIND', 'ROUTE', 'STATUS', 'TRIES', 'REASON / ERROR'],
      entries.map((e) => [
        isoTime(e.at),
        subject(e),
        e.incidentId ?? '-',
        e.kind,
        routeText(e).slice(0, 60),
        statusText(out, e.status),
        String(e.attempts),
        detail(e).slice(0, 100),
      ]),
    ),
  );
}

/** `crosscheck alerts log`: every alert decision. The group is where alerting commands live. */
export function alertsCommand(ctx: CliContext): Command {
  const alerts = new Command('alerts').description(
    'alerts: log (what was sent, held back or failed), target, route, channels',
  );
  alerts
    .command('log')
    .description(
      "every alert decision, newest first: sent, suppressed (and why), failed (with the provider's answer), retrying",
    )
    .option('--monitor <id>', "only this monitor's alerts (also after it was deleted)")
    .option('--incident <id>', "only this incident's alerts")
    .option(
      '--since <when>',
      'only alerts since then: a duration back (24h), an ISO date or epoch ms',
    )
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON: every field, with each send attempt')
    .action(async (flags: LogFlags, command: Command) => {
      const query = parseLogFlags(flags);
      await withBackend(command, ctx, async (backend) => {
        const entries = await collectPages(backend, alertLog, query, query.limit ?? 100);
        if (flags.json) return ctx.out.json(entries);
        if (entries.length === 0) return ctx.out.line('No alerts.');
        printLog(ctx.out, entries);
      });
    });
  alerts.addCommand(alertTargetCommand(ctx));
  alerts.addCommand(alertRouteCommand(ctx));
  return alerts;
}

import { Command } from 'commander';
import type { ConsensusRound } from '../../domain/consensus.ts';
import { formatDuration, parseDuration, parseSince } from '../../lib/duration.ts';
import { validationError } from '../../lib/errors.ts';
import type { MonitorUptimeView } from '../../services/uptime-views.ts';
import type { CliBackend } from '../backend.ts';
import { collectPages } from '../backend.ts';
import { listResults, listRounds, monitorUptime } from '../../operations/history-ops.ts';
import { getMonitor } from '../../operations/monitor-ops.ts';
import type { CliContext } from '../context.ts';
import { monitorNames, withBackend } from '../context.ts';
import type { Output } from '../output.ts';
import { isoTime, latency, percent, renderTable, statusText } from '../output.ts';
import { verdictText } from './rounds-output.ts';

/** Sub-quorum rounds shown per monitor: trouble nobody was paged for. */
const SUB_QUORUM_ROUNDS = 10;

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw validationError([{ path: flag, message: 'expected a positive whole number' }]);
  return n;
}

/** Counted votes: answers in time that were not set aside. */
function counted(round: ConsensusRound) {
  return round.votes.filter(
    (v) => !v.late && v.setAside === null && (v.outcome === 'fail' || v.outcome === 'ok'),
  );
}

/** Uptime from confirmed downtime, then per region, then each node's own view. */
function printUptime(out: Output, view: MonitorUptimeView, window: string): void {
  if (view.uptime === null) return out.line(`Not observed in the last ${window}.`);
  out.line(
    `uptime, last ${window}: ${percent(view.uptime)} (confirmed downtime ${formatDuration(view.downMs)})`,
  );
  if (view.regions.length > 0) {
    out.line(`uptime by region, last ${window}:`);
    out.line(
      renderTable(
        out,
        ['REGION', 'NODES', 'DOWNTIME', 'UPTIME'],
        view.regions.map((r) => [
          r.region,
          String(r.nodes),
          formatDuration(r.downMs),
          percent(r.uptime),
        ]),
      ),
    );
  }
  if (view.nodes.length === 0) return;
  out.line(`each node's own results, last ${window} (not uptime: no quorum confirmed them):`);
  out.line(
    renderTable(
      out,
      ['NODE', 'REGION', 'CHECKS', 'FAILURES', 'PASSING', 'NODE ERRORS', 'LOCAL FAILURES'],
      view.nodes.map((n) => [
        n.name,
        n.region ?? '-',
        String(n.checks),
        String(n.failures),
        percent(n.passing),
        String(n.errors),
        String(n.localFailures),
      ]),
    ),
  );
}

function printSubQuorum(out: Output, rounds: readonly ConsensusRound[]): void {
  if (rounds.length === 0) return out.line('No sub-quorum rounds (local, regional or unknown).');
  out.line('recent sub-quorum rounds (newest first):');
  out.line(
    renderTable(
      out,
      ['DECIDED', 'PURPOSE', 'VERDICT', 'FAILING NODES', 'COUNTED'],
      rounds.map((round) => {
        const votes = counted(round);
        const failing = votes
          .filter((v) => v.outcome === 'fail')
          .map((v) => (v.region === null ? v.nodeName : `${v.nodeName} (${v.region})`));
        return [
          isoTime(round.decidedAt),
          round.purpose,
          statusText(out, verdictText(round.verdict, round.regions)),
          failing.join(', ') || '-',
          String(votes.length),
        ];
      }),
    ),
  );
}

/** The uptime tables and sub-quorum rounds of one monitor, before its results. */
async function printMonitorSummary(
  out: Output,
  backend: CliBackend,
  monitorId: string,
  window: string,
): Promise<void> {
  const [uptime, rounds] = await Promise.all([
    backend.call(monitorUptime, { id: monitorId, window }),
    collectPages(
      backend,
      listRounds,
      { id: monitorId, verdict: ['local', 'regional', 'unknown'], limit: SUB_QUORUM_ROUNDS },
      SUB_QUORUM_ROUNDS,
    ),
  ]);
  printUptime(out, uptime, window);
  out.line();
  printSubQuorum(out, rounds);
  out.line();
}

/**
 * `crosscheck history [monitor] [--since 1h]`: raw results, newest first. With a monitor, the
 * text output starts with its uptime (per region and per node) and its recent sub-quorum rounds; `--json`
 * stays the list of results.
 */
export function historyCommand(ctx: CliContext): Command {
  return new Command('history')
    .description(
      'recent check results, newest first; for one monitor also its uptime per region and per node and recent sub-quorum rounds',
    )
    .argument('[monitor]', 'only this monitor (same as --monitor)')
    .option('--monitor <id>', 'only this monitor')
    .option('--since <when>', 'a duration back from now (1h), an ISO date or epoch ms', '1h')
    .option('--window <duration>', 'window of the uptime tables', '24h')
    .option('--limit <n>', 'at most this many (default 200)')
    .option('--json', 'print JSON (the results)')
    .action(
      async (
        monitorArg: string | undefined,
        opts: { monitor?: string; since: string; window: string; limit?: string; json?: boolean },
        command: Command,
      ) => {
        const limit = positiveInt('--limit', opts.limit, 200);
        if (parseSince(opts.since, Date.now()) === undefined) {
          throw validationError([
            {
              path: '--since',
              message: `expected a duration like 1h, an ISO date or epoch ms, got "${opts.since}"`,
            },
          ]);
        }
        if (parseDuration(opts.window) === undefined)
          throw validationError([
            { path: '--window', message: `expected a duration like 24h, got "${opts.window}"` },
          ]);
        if (monitorArg !== undefined && opts.monitor !== undefined && monitorArg !== opts.monitor)
          throw validationError([
            { path: '--monitor', message: 'give the monitor once: as the argument or --monitor' },
          ]);
        const monitorId = monitorArg ?? opts.monitor;
        await withBackend(command, ctx, async (backend) => {
          // An unknown monitor is an error (exit 4), not an empty history.
          if (monitorId) await backend.call(getMonitor, { id: monitorId });
          const results = await collectPages(
            backend,
            listResults,
            { ...(monitorId ? { monitor: monitorId } : {}), since: opts.since, limit },
            limit,
          );
          if (opts.json) return ctx.out.json(results);
          if (monitorId) await printMonitorSummary(ctx.out, backend, monitorId, opts.window);
          if (results.length === 0) return ctx.out.line(`No results since ${opts.since}.`);
          const nameOf = await monitorNames(backend);
          ctx.out.line(
            renderTable(
              ctx.out,
              ['TIME', 'MONITOR', 'STATUS', 'LATENCY', 'ERROR', 'MESSAGE'],
              results.map((r) => [
                isoTime(r.checkedAt),
                nameOf(r.monitorId),
                statusText(ctx.out, r.status),
                latency(r.latencyMs),
                r.errorKind ?? '-',
                r.message.slice(0, 70),
              ]),
            ),
          );
        });
      },
    );
}

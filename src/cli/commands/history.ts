import { Command } from 'commander';
import { parseSince } from '../../lib/duration.ts';
import { validationError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { monitorNames, withBackend } from '../context.ts';
import { isoTime, latency, renderTable, statusText } from '../output.ts';

/** `crosscheck history [--monitor id] [--since 1h]`: raw results, newest first. */
export function historyCommand(ctx: CliContext): Command {
  return new Command('history')
    .description('recent check results, newest first')
    .option('--monitor <id>', 'only this monitor')
    .option('--since <when>', 'a duration back from now (1h), an ISO date or epoch ms', '1h')
    .option('--limit <n>', 'at most this many (default 200)')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { monitor?: string; since: string; limit?: string; json?: boolean },
        command: Command,
      ) => {
        const limit = opts.limit === undefined ? 200 : Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw validationError([{ path: '--limit', message: 'expected a positive whole number' }]);
        if (parseSince(opts.since, Date.now()) === undefined) {
          throw validationError([
            {
              path: '--since',
              message: `expected a duration like 1h, an ISO date or epoch ms, got "${opts.since}"`,
            },
          ]);
        }
        await withBackend(command, ctx, async (backend) => {
          // An unknown monitor is an error (exit 4), not an empty history.
          if (opts.monitor) await backend.getMonitor(opts.monitor);
          const results = await backend.history({
            ...(opts.monitor ? { monitorId: opts.monitor } : {}),
            since: opts.since,
            limit,
          });
          if (opts.json) return ctx.out.json(results);
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

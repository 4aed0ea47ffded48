import { Command } from 'commander';
import { checkTypeSchema } from '../../checks/registry.ts';
import type { CheckType } from '../../checks/types.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import type { ProbeNodeReport, ProbeReport } from '../../services/probe-service.ts';
import {
  addCheckFlags,
  collectCheckOptions,
  parseCheckType,
  withFlagNames,
} from '../check-flags.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { probe as probeOp } from '../../operations/cluster-ops.ts';
import { probeMonitor } from '../../operations/monitor-ops.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { latency, renderTable, statusText } from '../output.ts';
import { inferHttpFamilyType } from './http-family.ts';

/** Probe request fields, named as the user typed them. */
const FIELD_ARGS: Record<string, string> = {
  type: '<type>',
  target: '<target>',
  timeoutMs: '--timeout',
};

/** Rewrites the daemon's field paths (`timeoutMs`, `options.keyword`) to arguments and flags. */
function withProbeArgNames(error: unknown, type: CheckType): unknown {
  const named = withFlagNames(error, type);
  if (!(named instanceof AppError) || named.code !== 'VALIDATION') return named;
  const issues: FieldIssue[] = named.issues.map((issue) => {
    const arg = FIELD_ARGS[issue.path];
    return arg ? { ...issue, path: arg } : issue;
  });
  return validationError(issues);
}

function resultWord(node: ProbeNodeReport): string {
  if (node.outcome === 'no-answer') return 'no answer';
  if (node.outcome === 'error') return 'error: could not check';
  return node.evidence?.status ?? node.outcome;
}

function printReport(out: Output, report: ProbeReport): void {
  out.line(`probe: ${report.check.type} ${report.check.target}`);
  out.line(
    renderTable(
      out,
      ['NODE', 'REGION', 'RESULT', 'LATENCY', 'MESSAGE'],
      report.nodes.map((node) => [
        node.name,
        node.region ?? '-',
        statusText(out, resultWord(node)),
        latency(node.evidence?.latencyMs),
        (node.error ?? node.evidence?.message ?? '').slice(0, 70),
      ]),
    ),
  );
  out.line(`\n${report.verdict.line}`);
}

/** 0 up everywhere, 1 down anywhere, 3 when no node answered (nothing was learnt). */
export function probeExitCode(report: ProbeReport): number {
  switch (report.verdict.kind) {
    case 'up-everywhere':
      return EXIT.ok;
    case 'no-answer':
      return EXIT.unavailable;
    default:
      return EXIT.down;
  }
}

/** `crosscheck probe <type> <target> [flags]`: one check on every online node now. */
export function probeCommand(ctx: CliContext): Command {
  const command = new Command('probe')
    .description(
      'run one check now on every online node and say where it fails (exit 0 up everywhere, 1 down anywhere, 3 no node answered)',
    )
    .argument('<type>', `check type (${checkTypeSchema.options.join(', ')})`)
    .argument('<target>', 'URL, host:port or name, depending on the type')
    .option('--timeout <duration>', "time limit per node, e.g. 5s (default: the type's default)")
    .option('--json', 'print the report as JSON');
  addCheckFlags(command);
  command.action(
    async (typeArg: string, target: string, opts: { timeout?: string; json?: boolean }) => {
      const type = inferHttpFamilyType(command, parseCheckType(typeArg, '<type>'));
      let options: Record<string, unknown>;
      try {
        options = collectCheckOptions(command, type);
      } catch (error) {
        throw withFlagNames(error, type);
      }
      await withBackend(command, ctx, async (backend) => {
        const report = await backend
          .call(probeOp, {
            type,
            target,
            options,
            ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
          })
          .catch((error: unknown) => {
            throw withProbeArgNames(error, type);
          });
        if (opts.json) ctx.out.json(report);
        else printReport(ctx.out, report);
        process.exitCode = probeExitCode(report);
      });
    },
  );
  return command;
}

/** `crosscheck monitor probe <id>`: the monitor's stored check now, from the nodes that run it. */
export function monitorProbeCommand(ctx: CliContext): Command {
  return new Command('probe')
    .argument('<id>')
    .description(
      'probe a monitor now with its stored settings from the nodes that run it (exit 0 up everywhere, 1 down anywhere, 3 no node answered)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const report = await backend.call(probeMonitor, { id });
        if (opts.json) ctx.out.json(report);
        else printReport(ctx.out, report);
        process.exitCode = probeExitCode(report);
      });
    });
}

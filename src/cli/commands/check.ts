import fs from 'node:fs';
import { Command } from 'commander';
import { createBrowserPool } from '../../checks/browser/pool.ts';
import { chromiumPathOf } from '../../config/node-config.ts';
import { runCheck } from '../../agent/check-runner.ts';
import { checkTypeSchema, getCheck, parseCheckConfig } from '../../checks/registry.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import { parseDuration } from '../../lib/duration.ts';
import { validationError } from '../../lib/errors.ts';
import {
  addCheckFlags,
  collectCheckOptions,
  parseCheckType,
  withFlagNames,
} from '../check-flags.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { latency, statusText } from '../output.ts';
import { inferHttpFamilyType } from './http-family.ts';

function printResult(out: Output, target: string, result: CheckResult): void {
  // A node error is about this machine, not the target: say so before the target.
  const head =
    result.status === 'error'
      ? `${statusText(out, 'ERROR')}  could not check ${target} from this node`
      : `${statusText(out, result.status.toUpperCase())}  ${target}`;
  out.line(`${head}  ${result.message}`);
  const phases = (Object.entries(result.timings) as [string, number][])
    .map(([phase, ms]) => `${phase.replace(/Ms$/, '')} ${latency(ms)}`)
    .join(', ');
  out.line(`latency: ${latency(result.latencyMs)}${phases ? ` (${phases})` : ''}`);
  if (result.errorKind) out.line(`error: ${result.errorKind}`);
  for (const [key, value] of Object.entries(result.details)) {
    out.line(`${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  }
  for (const error of result.evidence?.consoleErrors ?? []) out.line(`console error: ${error}`);
}

interface CheckCommandOptions {
  timeout?: string;
  json?: boolean;
  chromiumPath?: string;
  screenshot?: string;
}

/** The result as printed: a screenshot is named by its size (`--screenshot` saves it). */
function withoutImage(result: CheckResult): CheckResult {
  const evidence = result.evidence;
  if (evidence?.screenshotJpeg === undefined) return result;
  const bytes = Buffer.from(evidence.screenshotJpeg, 'base64').length;
  return {
    ...result,
    details: {
      ...result.details,
      screenshot: `${bytes} bytes of JPEG (--screenshot FILE saves it)`,
    },
    evidence: { consoleErrors: evidence.consoleErrors },
  };
}

/** 0 up or degraded, 1 the target is down, 8 this node could not check. */
export function checkExitCode(result: CheckResult): number {
  switch (result.status) {
    case 'down':
      return EXIT.down;
    case 'error':
      return EXIT.nodeError;
    default:
      return EXIT.ok;
  }
}

/** `crosscheck check <type> <target> [flags]`: one check now, no daemon needed. Exit 1 when down. */
export function checkCommand(ctx: CliContext): Command {
  const command = new Command('check')
    .description(
      'run one check now and print the result (exit 1 when the target is down, 8 when this node could not check)',
    )
    .argument('<type>', `check type (${checkTypeSchema.options.join(', ')})`)
    .argument('<target>', 'URL, host:port or name, depending on the type')
    .option('--timeout <duration>', "time limit, e.g. 5s (default: the type's default)")
    .option('--json', 'print the result as JSON')
    .option(
      '--chromium-path <path>',
      'browser: Chromium to run (env CROSSCHECK_CHROMIUM; default /usr/bin/chromium, chromium-browser…)',
    )
    .option('--screenshot <file>', 'browser: save the failure screenshot (JPEG) to this file');
  addCheckFlags(command);
  command.action(async (typeArg: string, target: string, opts: CheckCommandOptions) => {
    const type = inferHttpFamilyType(command, parseCheckType(typeArg, '<type>'));
    const timeoutMs =
      opts.timeout === undefined ? getCheck(type).defaultTimeoutMs : parseDuration(opts.timeout);
    if (timeoutMs === undefined || timeoutMs < 1) {
      throw validationError([
        {
          path: '--timeout',
          message: `expected a duration like 5s, got "${opts.timeout ?? ''}"`,
        },
      ]);
    }
    let config: { target: string; options: Record<string, unknown> };
    try {
      config = parseCheckConfig(type, target, collectCheckOptions(command, type));
    } catch (error) {
      throw withFlagNames(error, type);
    }
    const browsers =
      type === 'browser'
        ? createBrowserPool({ chromiumPath: chromiumPathOf(opts.chromiumPath, ctx.env) })
        : undefined;
    let result: CheckResult;
    try {
      const spec = { type, target: config.target, options: config.options, timeoutMs };
      result = await runCheck(spec, browsers === undefined ? {} : { browsers });
    } finally {
      await browsers?.close();
    }
    const screenshot = result.evidence?.screenshotJpeg;
    if (opts.screenshot !== undefined && screenshot !== undefined)
      fs.writeFileSync(opts.screenshot, Buffer.from(screenshot, 'base64'));
    const shown = withoutImage(result);
    if (opts.json) ctx.out.json({ type, target: config.target, ...shown });
    else printResult(ctx.out, config.target, shown);
    process.exitCode = checkExitCode(result);
  });
  return command;
}

import type { CheckDetails, CheckEvidence, CheckResult } from '../../domain/check-result.ts';
import { withDeadline, wasCancelled } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { httpTargetSchema } from '../http/target.ts';
import { downResult, nodeErrorResult } from '../outcome.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { ConsoleLog, Screenshot } from './evidence.ts';
import { captureScreenshot, recordConsoleErrors, scrubber } from './evidence.ts';
import { blockOtherSchemes } from './guard.ts';
import type { BrowserOptions } from './options.ts';
import {
  BROWSER_SECRET_OPTIONS,
  browserFlags,
  browserOptionsSchema,
  redactBrowserOptions,
  secretValues,
} from './options.ts';
import type { BrowserPool } from './pool.ts';
import { createBrowserPool } from './pool.ts';
import type { TransactionRun } from './run-steps.ts';
import { runTransaction } from './run-steps.ts';

/**
 * Time kept back from the steps for the failure screenshot: a step that runs out of time still
 * leaves room to show what the page looked like.
 */
function evidenceReserveMs(timeoutMs: number): number {
  return Math.min(2_000, Math.floor(timeoutMs * 0.2));
}

/** The `browser` check: a multi-step transaction in Chromium, described as data. */
export const browserCheck: CheckDefinition<BrowserOptions> = {
  type: 'browser',
  description:
    'a transaction in headless Chromium: open the URL, then goto/click/fill/press/waitFor and expect text, elements, title or status',
  targetSchema: httpTargetSchema,
  optionsSchema: browserOptionsSchema,
  defaultTimeoutMs: 30_000,
  flags: browserFlags,
  secretOptions: BROWSER_SECRET_OPTIONS,
  redact: redactBrowserOptions,
  // Pages share the node's one Chromium and its page cap, which the main thread holds.
  mainThreadOnly: true,
  run: runBrowserCheck,
};

async function runBrowserCheck(
  target: string,
  options: BrowserOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  // A one-off check (`crosscheck check browser …`) starts its own Chromium and closes it after.
  const pool = ctx.browsers ?? createBrowserPool();
  try {
    return await withDeadline(ctx, (signal) => inBrowser(pool, target, options, ctx, signal));
  } finally {
    if (ctx.browsers === undefined) await pool.close();
  }
}

async function inBrowser(
  pool: BrowserPool,
  target: string,
  options: BrowserOptions,
  ctx: CheckContext,
  signal: AbortSignal,
): Promise<CheckResult> {
  const started = performance.now();
  const scrub = scrubber(secretValues(options));
  const settings = { ignoreHTTPSErrors: options.insecure === true };
  const outcome = await pool
    .withContext(signal, settings, async (context) => {
      await blockOtherSchemes(context);
      const page = await context.newPage();
      const console = recordConsoleErrors(page, scrub);
      const stepsDeadline = started + ctx.timeoutMs - evidenceReserveMs(ctx.timeoutMs);
      const began = performance.now();
      const run = await runTransaction(options.steps, {
        page,
        base: target,
        stepsDeadline,
        signal,
        patterns: ctx.patterns,
      });
      // Read now: an abort after the steps ended (during the screenshot) changes no verdict.
      const aborted = signal.aborted;
      // Latency is the transaction's own time; waiting for a slot or a browser start is not the
      // target's and is reported apart (waitMs).
      const transactionMs = performance.now() - began;
      const waitMs = began - started;
      const shot =
        run.failure === undefined || signal.aborted
          ? undefined
          : await captureScreenshot(
              page,
              Math.max(1, started + ctx.timeoutMs - performance.now() - 50),
            );
      return { run, console, shot, aborted, transactionMs, waitMs };
    })
    .catch((error: unknown) => ({ setupFailed: error }));
  if ('setupFailed' in outcome) {
    // The browser could not open a page: the deadline closed it first, or Chromium failed.
    const latencyMs = performance.now() - started;
    if (signal.aborted && wasCancelled(ctx, latencyMs))
      return downResult('timeout', latencyMs, `check cancelled after ${Math.round(latencyMs)} ms`);
    if (signal.aborted)
      return downResult('timeout', latencyMs, `no page opened within ${ctx.timeoutMs} ms`);
    const reason = outcome.setupFailed instanceof Error ? outcome.setupFailed.message : '';
    return nodeErrorResult(
      latencyMs,
      `Chromium could not open a page: ${reason.split('\n')[0] ?? ''}`,
    );
  }
  if ('unavailable' in outcome) {
    const latencyMs = performance.now() - started;
    if (outcome.unavailable === 'busy' && wasCancelled(ctx, latencyMs))
      return nodeErrorResult(latencyMs, 'check cancelled while waiting for a browser slot');
    return nodeErrorResult(latencyMs, outcome.message);
  }
  const elapsedMs = performance.now() - started;
  return judge(outcome.ran, { ctx, options, elapsedMs, scrub });
}

/** What the browser part of a check hands back to be judged. */
interface Transaction {
  run: TransactionRun;
  console: ConsoleLog;
  shot: Screenshot | undefined;
  /** The deadline or a shutdown cut the steps short. */
  aborted: boolean;
  transactionMs: number;
  /** Spent waiting for a page slot and the browser's start. */
  waitMs: number;
}

interface Judging {
  ctx: CheckContext;
  options: BrowserOptions;
  /** Since the check started (slot wait included), to tell a shutdown from the deadline. */
  elapsedMs: number;
  scrub: (text: string) => string;
}

function judge(ran: Transaction, judging: Judging): CheckResult {
  const { run, console, shot } = ran;
  const latencyMs = ran.transactionMs;
  const details: CheckDetails = {
    waitMs: Math.round(ran.waitMs),
    steps: run.timings.map((t) => `${judging.scrub(t.label)}: ${t.ms} ms`),
    ...(run.status === undefined ? {} : { httpStatus: run.status }),
    ...(console.errors.length === 0 ? {} : { consoleErrors: console.errors }),
    ...(console.dropped === 0 ? {} : { consoleErrorsDropped: console.dropped }),
    ...(run.screenshots.length === 0 ? {} : { screenshots: run.screenshots.map(describeShot) }),
  };
  const total = run.timings.length;
  if (run.failure === undefined) {
    const message = `${total} step${total === 1 ? '' : 's'} passed in ${Math.round(latencyMs)} ms`;
    return answeredResult(latencyMs, message, judging.options.degradedThresholdMs, {}, details);
  }
  const { index, label, problem } = run.failure;
  details['failedStep'] = index;
  details['failedStepName'] = judging.scrub(label);
  if (shot !== undefined && 'dropped' in shot) details['screenshot'] = shot.dropped;
  const where = `step ${index} (${judging.scrub(label)})`;
  let kind = problem.kind;
  let reason = judging.scrub(problem.message);
  // A step cut short by the deadline or a shutdown fails with "context closed": say why.
  if (ran.aborted) {
    kind = 'timeout';
    reason = wasCancelled(judging.ctx, judging.elapsedMs)
      ? `check cancelled after ${Math.round(judging.elapsedMs)} ms`
      : `transaction did not finish within ${judging.ctx.timeoutMs} ms`;
  }
  const result = downResult(kind, latencyMs, `${where}: ${reason}`, {}, details);
  const evidence = evidenceOf(shot, console);
  return evidence === undefined ? result : { ...result, evidence };
}

/** What an incident shows for a failed transaction: the screenshot and the console errors. */
function evidenceOf(shot: Screenshot | undefined, console: ConsoleLog): CheckEvidence | undefined {
  const screenshot =
    shot !== undefined && 'jpeg' in shot ? shot.jpeg.toString('base64') : undefined;
  if (screenshot === undefined && console.errors.length === 0) return undefined;
  return {
    ...(screenshot === undefined ? {} : { screenshotJpeg: screenshot }),
    consoleErrors: [...console.errors],
  };
}

function describeShot(entry: TransactionRun['screenshots'][number]): string {
  return 'jpeg' in entry.shot
    ? `${entry.name}: ${entry.shot.jpeg.length} bytes`
    : `${entry.name}: ${entry.shot.dropped}`;
}

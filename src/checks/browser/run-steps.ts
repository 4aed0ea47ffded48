import type { Page } from 'playwright-core';
import { printable } from '../tcp/banner.ts';
import { bannerMatcher, describePattern, parseBannerPattern } from '../tcp/banner.ts';
import type { PatternEvaluator } from '../pattern-evaluator.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import type { StepProblem } from './failure.ts';
import { classifyStepError } from './failure.ts';
import type { Screenshot } from './evidence.ts';
import { captureScreenshot } from './evidence.ts';
import type { BrowserStep } from './steps.ts';
import { stepLabel } from './steps.ts';

/** How long an expectation waits for its element when the step names no timeout. */
export const DEFAULT_EXPECT_WAIT_MS = 5_000;

/** What the steps may use: the page, where relative URLs start, and the time left. */
export interface StepEnv {
  page: Page;
  /** The target: the first step opens it and relative goto URLs resolve against it. */
  base: string;
  /** performance.now() by which every step must have finished (evidence time kept apart). */
  stepsDeadline: number;
  signal: AbortSignal;
  patterns: PatternEvaluator;
}

/** One finished (or failed) step and how long it took. */
export interface StepTiming {
  label: string;
  ms: number;
}

export interface TransactionRun {
  timings: StepTiming[];
  /** Named screenshots taken by `screenshot` steps, in order. */
  screenshots: { name: string; shot: Screenshot }[];
  /** The failing step (0 is opening the target) and why; absent when every step passed. */
  failure?: { index: number; label: string; problem: StepProblem };
  /** Status of the last navigation's main document. */
  status?: number;
}

/** Opens the target, then runs each step in order, stopping at the first that fails. */
export async function runTransaction(
  steps: readonly BrowserStep[],
  env: StepEnv,
): Promise<TransactionRun> {
  const run: TransactionRun = { timings: [], screenshots: [] };
  const all: BrowserStep[] = [{ action: 'goto', url: env.base }, ...steps];
  // Every main-document response (goto, a submitted form, a redirect's end) sets the status
  // expectStatus reads.
  env.page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === env.page.mainFrame())
      run.status = response.status();
  });
  for (const [index, step] of all.entries()) {
    const label = index === 0 ? `open ${env.base}` : stepLabel(step);
    const started = performance.now();
    let problem: StepProblem | undefined;
    try {
      problem = await runStep(step, env, run);
    } catch (error) {
      problem = classifyStepError(error);
    }
    run.timings.push({ label, ms: Math.round(performance.now() - started) });
    if (problem !== undefined) {
      run.failure = { index, label, problem };
      return run;
    }
  }
  return run;
}

/** The time a step may take: its own timeout, never past the transaction's deadline. */
function budget(env: StepEnv, own: number | undefined): number {
  const left = Math.max(1, Math.floor(env.stepsDeadline - performance.now()));
  return own === undefined ? left : Math.min(own, left);
}

async function runStep(
  step: BrowserStep,
  env: StepEnv,
  run: TransactionRun,
): Promise<StepProblem | undefined> {
  const { page } = env;
  switch (step.action) {
    case 'goto': {
      await page.goto(new URL(step.url, env.base).href, {
        timeout: budget(env, step.timeoutMs),
        waitUntil: 'load',
      });
      return undefined;
    }
    case 'click':
      await page.locator(step.selector).click({ timeout: budget(env, step.timeoutMs) });
      return settle(env);
    case 'fill':
      await page.locator(step.selector).fill(step.value, { timeout: budget(env, step.timeoutMs) });
      return undefined;
    case 'press': {
      const timeout = budget(env, step.timeoutMs);
      if (step.selector === undefined) await page.keyboard.press(step.key);
      else await page.locator(step.selector).press(step.key, { timeout });
      return settle(env);
    }
    case 'waitFor':
      await page
        .locator(step.selector)
        .first()
        .waitFor({ state: step.state, timeout: budget(env, step.timeoutMs) });
      return undefined;
    case 'expectText':
      return expectText(step, env);
    case 'expectElement':
      return expectElement(step, env);
    case 'expectTitle':
      return expectMatch('title', await page.title(), step.text, env);
    case 'expectStatus':
      if (run.status === undefined)
        return { kind: 'assertion', message: 'no page load to read a status from' };
      return run.status === step.status
        ? undefined
        : { kind: 'status', message: `HTTP ${run.status}, expected ${step.status}` };
    case 'screenshot':
      run.screenshots.push({
        name: step.name,
        shot: await captureScreenshot(page, budget(env, undefined)),
      });
      return undefined;
  }
}

/**
 * After a click or key press that may submit a form: waits for the page load it started (if
 * any) so later expectations read the new page.
 */
async function settle(env: StepEnv): Promise<undefined> {
  await env.page.waitForLoadState('load', { timeout: budget(env, undefined) });
  return undefined;
}

async function expectText(
  step: Extract<BrowserStep, { action: 'expectText' }>,
  env: StepEnv,
): Promise<StepProblem | undefined> {
  const locator = env.page.locator(step.selector ?? 'body').first();
  const timeout = budget(env, step.timeoutMs ?? DEFAULT_EXPECT_WAIT_MS);
  try {
    await locator.waitFor({ state: 'attached', timeout });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    return { kind: 'assertion', message: `no element matches ${step.selector ?? 'body'}` };
  }
  return expectMatch(
    step.selector ?? 'page text',
    await locator.innerText({ timeout }),
    step.text,
    env,
  );
}

async function expectElement(
  step: Extract<BrowserStep, { action: 'expectElement' }>,
  env: StepEnv,
): Promise<StepProblem | undefined> {
  const locator = env.page.locator(step.selector);
  if (step.count === undefined) {
    const timeout = budget(env, step.timeoutMs ?? DEFAULT_EXPECT_WAIT_MS);
    try {
      await locator.first().waitFor({ state: 'attached', timeout });
      return undefined;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
      return { kind: 'assertion', message: `no element matches ${step.selector}` };
    }
  }
  const count = await locator.count();
  return count === step.count
    ? undefined
    : {
        kind: 'assertion',
        message: `${count} elements match ${step.selector}, expected ${step.count}`,
      };
}

/** Text against a step's expected text or /regex/ (a regex that may run long goes to a worker). */
async function expectMatch(
  what: string,
  text: string,
  expected: string,
  env: StepEnv,
): Promise<StepProblem | undefined> {
  const pattern = parseBannerPattern(expected);
  // The schema accepted the pattern, so a parse error cannot happen here; treat it as text.
  if ('error' in pattern)
    return text.includes(expected) ? undefined : mismatch(what, expected, text);
  const outcome = await bannerMatcher(pattern, env.patterns, env.signal)(text);
  if (outcome.status !== 'done') {
    const failure = patternFailure(outcome, describePattern(pattern), text.length);
    return { kind: failure.errorKind, message: failure.message };
  }
  return outcome.value ? undefined : mismatch(what, describePattern(pattern), text);
}

function mismatch(what: string, expected: string, text: string): StepProblem {
  return {
    kind: 'assertion',
    message: `${what} does not contain ${expected} (got "${printable(text.trim(), 80)}")`,
  };
}

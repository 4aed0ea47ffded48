import type { z } from 'zod';
import type { SharedCause } from '../domain/cause-group.ts';
import type { CheckResult } from '../domain/check-result.ts';
import type { CheckType } from '../domain/check-type.ts';
import type { PatternEvaluator } from './pattern-evaluator.ts';
import type { BrowserPool } from './browser/pool.ts';

// Re-exported so a check type's code finds its whole contract here.
export { CHECK_TYPES } from '../domain/check-type.ts';
export type { CheckType } from '../domain/check-type.ts';

/** What a running check may use besides its options. */
export interface CheckContext {
  /** Hard limit for the whole check; the check must resolve (as `down`/`timeout`) by then. */
  timeoutMs: number;
  /** Aborted when the timeout passes or the node shuts down. */
  signal: AbortSignal;
  /** Where a user's pattern that may run long is evaluated (off the main thread, bounded). */
  patterns: PatternEvaluator;
  /**
   * The node's Chromium, shared by its browser checks with a per-node concurrency cap. Without
   * one (a one-off `crosscheck check`), a browser check starts and closes its own.
   */
  browsers?: BrowserPool;
}

/** How a CLI flag maps to one option key. `list` flags repeat (`--header a --header b`). */
export interface CheckFlag {
  /** Commander syntax, e.g. `--keyword <text>` or `--invert`. */
  flags: string;
  /** Key in the options object this flag fills. */
  key: string;
  description: string;
  kind: 'string' | 'boolean' | 'int' | 'duration' | 'list';
}

/**
 * One check type: its options schema (the stored JSON shape; it may also accept the CLI's
 * looser shapes through preprocessing), how its target is validated, and how it runs.
 */
export interface CheckDefinition<Options = unknown> {
  type: CheckType;
  /** One line for `--help` and docs. */
  description: string;
  /** Validates and normalises the target (URL, host:port, hostname…). */
  targetSchema: z.ZodType<string>;
  optionsSchema: z.ZodType<Options>;
  /** Timeout used when the monitor does not set one. */
  defaultTimeoutMs: number;
  /** Interval used when the monitor does not set one (the monitors' default otherwise). */
  defaultIntervalMs?: number;
  /** Shortest interval a monitor of this type may have (e.g. rate-limited registries). */
  minIntervalMs?: number;
  /** CLI flags that fill this type's options. Shared flags may appear in several types. */
  flags: readonly CheckFlag[];
  /**
   * Option keys that replace each other (e.g. `keyword` and `regex`): an update giving one
   * drops the others instead of merging into a conflict.
   */
  exclusiveOptions?: readonly (readonly string[])[];
  /**
   * Options that may hold secrets, masked by `redact` for display: key → what is masked (for
   * forms and docs; e.g. the credential-bearing header values of the HTTP family).
   */
  secretOptions?: Readonly<Record<string, string>>;
  /** The options for display (API, CLI), with secrets such as auth headers masked. */
  redact?(options: Options): Options;
  /**
   * What this check's failures can share with other monitors' (grouping one page per cause):
   * the target's host when not given (see `checks/shared-causes.ts`).
   */
  sharedCauses?(target: string, options: Options): SharedCause[];
  /**
   * Runs on the node's main thread, never on a check thread (`app/check-threads/`): it needs
   * something only the main thread holds (the node's one Chromium; push pings, which arrive
   * on the main thread's API).
   */
  mainThreadOnly?: boolean;
  /** Runs the check once. Never throws for a down target: that is a `down` result. */
  run(target: string, options: Options, ctx: CheckContext): Promise<CheckResult>;
}

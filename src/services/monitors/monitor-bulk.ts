import { z } from 'zod';
import type { Monitor } from '../../domain/monitor.ts';
import type { ErrorCode, FieldIssue, AppError } from '../../lib/errors.ts';
import { isAppError, notFound, validationError } from '../../lib/errors.ts';
import type { MonitorWrite } from '../../store/types.ts';
import { applyMonitorUpdate, buildMonitor, zodIssues } from './monitor-input.ts';

/**
 * Most items one bulk call takes: one transaction, bounded in time and memory. 5,000 plain
 * monitors are about 0.7 MB of JSON and a ~0.3 s transaction; larger batches gained little
 * (see bench/README.md, bulk-create) and hold the writer longer.
 */
export const MAX_BULK_ITEMS = 5_000;

/** Largest bulk request body: 5,000 items of up to ~3 KB each (headers, options, routes). */
export const MAX_BULK_BODY_BYTES = 16 * 1_048_576;

/**
 * One bulk item's envelope; the monitor body and the patch are validated by the monitor
 * schemas themselves, so their issues read as they do for a single create or update.
 */
const bulkItemEnvelope = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), monitor: z.unknown() }).strict(),
  z.object({ op: z.literal('update'), id: z.string().min(1), patch: z.unknown() }).strict(),
]);

export interface BulkItemError {
  code: ErrorCode;
  message: string;
  issues: FieldIssue[];
}

/** What happened to one item, by its index in the request. */
export type BulkItemResult =
  | { index: number; ok: true; monitor: Monitor }
  | { index: number; ok: false; error: BulkItemError };

/** The writes a bulk request makes and each item's result, before anything is written. */
export interface BulkPlan {
  writes: MonitorWrite[];
  results: BulkItemResult[];
}

/**
 * Validates items one at a time (pure), so a caller can plan a large request in slices and
 * let other work run between them: creates get ids from `newId`, updates apply to `existing`
 * (or to the result of an earlier update of the same monitor in this request). A bad item is
 * a result, never an exception; only bugs throw.
 */
export class BulkPlanner {
  readonly #working: Map<string, Monitor>;
  readonly #writes = new Map<string, MonitorWrite>();
  readonly #results: BulkItemResult[] = [];
  readonly #newId: () => string;
  readonly #now: number;

  constructor(existing: ReadonlyMap<string, Monitor>, newId: () => string, now: number) {
    this.#working = new Map(existing);
    this.#newId = newId;
    this.#now = now;
  }

  /** Plans the next item (its index is its position among the items added). */
  add(item: unknown): void {
    const index = this.#results.length;
    try {
      const { op, monitor } = planItem(item, this.#working, this.#newId, this.#now);
      // Two updates of one monitor become one write of the later result.
      this.#writes.set(monitor.id, { op, monitor });
      this.#working.set(monitor.id, monitor);
      this.#results.push({ index, ok: true, monitor });
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.#results.push({ index, ok: false, error: itemError(error) });
    }
  }

  plan(): BulkPlan {
    return { writes: [...this.#writes.values()], results: [...this.#results] };
  }
}

/**
 * The plan with the items whose monitors have dependency issues (keyed by monitor id) turned
 * into failures and their writes dropped. Which item wrote a monitor is found by its result.
 */
export function withoutFailedDependencies(
  plan: BulkPlan,
  issues: ReadonlyMap<string, readonly FieldIssue[]>,
): BulkPlan {
  if (issues.size === 0) return plan;
  const results = plan.results.map((result): BulkItemResult => {
    if (!result.ok) return result;
    const found = issues.get(result.monitor.id);
    if (found === undefined) return result;
    const error = validationError(found.map((i) => ({ ...i, path: `monitor.${i.path}` })));
    return { index: result.index, ok: false, error: itemError(error) };
  });
  return { writes: plan.writes.filter((w) => !issues.has(w.monitor.id)), results };
}

/** Plans every item at once (see `BulkPlanner`). */
export function planBulk(
  items: readonly unknown[],
  existing: ReadonlyMap<string, Monitor>,
  newId: () => string,
  now: number,
): BulkPlan {
  const planner = new BulkPlanner(existing, newId, now);
  for (const item of items) planner.add(item);
  return planner.plan();
}

function planItem(
  item: unknown,
  working: ReadonlyMap<string, Monitor>,
  newId: () => string,
  now: number,
): MonitorWrite {
  const parsed = bulkItemEnvelope.safeParse(item);
  if (!parsed.success) throw validationError(zodIssues(parsed.error));
  const envelope = parsed.data;
  if (envelope.op === 'create') {
    const monitor = withPrefix('monitor', () => buildMonitor(envelope.monitor, newId(), now));
    return { op: 'insert', monitor };
  }
  const current = working.get(envelope.id);
  if (current === undefined) throw notFound('monitor', envelope.id);
  const monitor = withPrefix('patch', () => applyMonitorUpdate(current, envelope.patch, now));
  return { op: 'update', monitor };
}

/** Runs a monitor builder, naming its issues' fields under the item's field (`monitor.name`). */
function withPrefix(prefix: string, build: () => Monitor): Monitor {
  try {
    return build();
  } catch (error) {
    if (!isAppError(error) || error.code !== 'VALIDATION') throw error;
    const issues = error.issues.map((i) => ({
      path: i.path === '' ? prefix : `${prefix}.${i.path}`,
      message: i.message,
    }));
    throw validationError(issues);
  }
}

function itemError(error: AppError): BulkItemError {
  return { code: error.code, message: error.message, issues: [...error.issues] };
}

/**
 * An atomic request with a failing item writes nothing: its valid items are reported as not
 * written (CONFLICT: they conflict with the all-or-nothing request), naming the failed ones.
 */
export function abandonPlan(results: readonly BulkItemResult[]): BulkItemResult[] {
  const failed = results.filter((r) => !r.ok).map((r) => r.index);
  const message = `not written: the request is atomic and item(s) ${failed.join(', ')} failed`;
  return results.map((r) =>
    r.ok ? { index: r.index, ok: false, error: { code: 'CONFLICT', message, issues: [] } } : r,
  );
}

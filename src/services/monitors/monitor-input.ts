import { isTargetRoute } from '../../domain/alert-target.ts';
import { z } from 'zod';
import { parseAlertRoute } from '../../alerts/registry.ts';
import { checkTypeSchema, getCheck, parseCheckConfig } from '../../checks/registry.ts';
import type { CheckType } from '../../checks/types.ts';
import type { ConsensusPolicy } from '../../domain/consensus.ts';
import { DEFAULT_CONSENSUS, QUORUM_MODES } from '../../domain/consensus.ts';
import type { AlertRoute, Monitor } from '../../domain/monitor.ts';
import { MONITOR_LIMITS } from '../../domain/monitor.ts';
import { GROUP_DEPENDENCY_PREFIX, MAX_DEPENDENCIES } from '../../domain/dependencies.ts';
import { targetRouteSchema } from '../../domain/monitor-schema.ts';
import { formatDuration, parseDuration } from '../../lib/duration.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, validationError } from '../../lib/errors.ts';

/** A duration given as milliseconds or as text like `30s`, bounded to [min, max]. */
function durationField(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === undefined || !Number.isInteger(ms)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like 500ms, 30s, 5m or 1h, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${min} ms and ${max} ms, got ${ms} ms`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

const nodeSelectorSchema = z
  .object({
    regions: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
    labels: z
      .record(z.string().trim().min(1).max(64), z.string().trim().min(1).max(128))
      .default({}),
  })
  .strict();

/** A monitor's route: a named target (`--alert ops-slack`) or an inline channel with settings. */
const alertRouteSchema = z.union([
  targetRouteSchema,
  z.object({
    channel: z.string().min(1),
    settings: z.record(z.string(), z.unknown()),
  }),
]);

/** A monitor id, or `group:<name>` for every monitor of a group. */
const dependencyEntry = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .refine((entry) => entry !== GROUP_DEPENDENCY_PREFIX, {
    message: `name the group after ${GROUP_DEPENDENCY_PREFIX}`,
  });

/** Upper bound for node counts in a consensus policy: far above any real cluster. */
const MAX_NODES = 1_000;

/**
 * How the cluster confirms an outage. Every key is optional: on create the missing ones come
 * from DEFAULT_CONSENSUS, on update from the monitor's current policy (merged key by key).
 */
const consensusSchema = z
  .object({
    quorum: z.enum(QUORUM_MODES),
    requiredFailures: z.number().int().min(1).max(MAX_NODES).nullable(),
    requiredPercent: z.number().int().min(1).max(100).nullable(),
    minResponders: z.number().int().min(1).max(MAX_NODES),
    flapChanges: z.number().int().min(1).max(MAX_NODES),
    flapWindowMs: durationField(MONITOR_LIMITS.minIntervalMs, 7 * 86_400_000),
  })
  .partial()
  .strict();

type ConsensusPatch = z.output<typeof consensusSchema>;

/** Fields a client may set on a monitor; the one schema for API bodies and CLI flags. */
const monitorFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  type: checkTypeSchema,
  target: z.string().trim().min(1, 'must not be empty'),
  intervalMs: durationField(MONITOR_LIMITS.minIntervalMs, MONITOR_LIMITS.maxIntervalMs),
  timeoutMs: durationField(MONITOR_LIMITS.minTimeoutMs, MONITOR_LIMITS.maxTimeoutMs),
  group: z.string().trim().min(1).max(100).nullable(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50),
  options: z.record(z.string(), z.unknown()),
  failureThreshold: z.number().int().min(1).max(100),
  recoveryThreshold: z.number().int().min(1).max(100),
  degradedIsDown: z.boolean(),
  paused: z.boolean(),
  alerts: z.array(alertRouteSchema).max(20),
  /** Routes for regional verdicts; validated like `alerts`. */
  regionalAlerts: z.array(alertRouteSchema).max(20),
  consensus: consensusSchema,
  alertCooldownMs: durationField(0, 7 * 86_400_000),
  /** Which nodes run the monitor (by region and labels); empty means every node. */
  nodes: nodeSelectorSchema,
  /** Monitors (ids) and groups (`group:<name>`) it depends on; see `consensus/dependencies.ts`. */
  dependsOn: z.array(dependencyEntry).max(MAX_DEPENDENCIES),
};

export const createMonitorSchema = z
  .object({
    ...monitorFields,
    intervalMs: monitorFields.intervalMs.optional(),
    timeoutMs: monitorFields.timeoutMs.optional(),
    group: monitorFields.group.optional(),
    tags: monitorFields.tags.optional(),
    options: monitorFields.options.optional(),
    failureThreshold: monitorFields.failureThreshold.optional(),
    recoveryThreshold: monitorFields.recoveryThreshold.optional(),
    degradedIsDown: monitorFields.degradedIsDown.optional(),
    paused: monitorFields.paused.optional(),
    alerts: monitorFields.alerts.optional(),
    regionalAlerts: monitorFields.regionalAlerts.optional(),
    consensus: monitorFields.consensus.optional(),
    alertCooldownMs: monitorFields.alertCooldownMs.optional(),
    nodes: monitorFields.nodes.optional(),
    dependsOn: monitorFields.dependsOn.optional(),
  })
  .strict();

export const updateMonitorSchema = z.object(monitorFields).partial().strict();

export type CreateMonitorInput = z.input<typeof createMonitorSchema>;
export type UpdateMonitorInput = z.input<typeof updateMonitorSchema>;

/** Turns zod issues into field issues (paths joined with dots). */
export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** Parses a create body into a complete monitor (ids and times supplied by the caller). */
export function buildMonitor(input: unknown, id: string, now: number): Monitor {
  const parsed = createMonitorSchema.safeParse(input);
  if (!parsed.success) throw validationError(zodIssues(parsed.error));
  return monitorFromCreateValue(parsed.data, id, now);
}

/** A create body already parsed by `createMonitorSchema`. */
export type CreateMonitorValue = z.output<typeof createMonitorSchema>;

/**
 * A complete monitor from a parsed create body: defaults, then the cross-field and per-type
 * rules (VALIDATION naming each field). For callers that parsed the body themselves (a config
 * file's entries are parsed once, with their `key`), so no body is parsed twice.
 */
export function monitorFromCreateValue(
  value: CreateMonitorValue,
  id: string,
  now: number,
): Monitor {
  return finalizeMonitor({
    id,
    name: value.name,
    type: value.type,
    target: value.target,
    intervalMs: value.intervalMs ?? defaultIntervalOf(value.type),
    timeoutMs:
      value.timeoutMs ??
      Math.min(
        getCheck(value.type).defaultTimeoutMs,
        value.intervalMs ?? defaultIntervalOf(value.type),
      ),
    group: value.group ?? null,
    tags: value.tags ?? [],
    options: value.options ?? {},
    // A push monitor's result is already a judgement over time (period + grace): one late or
    // failed evaluation is the verdict, so its thresholds default to 1.
    failureThreshold:
      value.failureThreshold ??
      (value.type === 'push' ? 1 : MONITOR_LIMITS.defaultFailureThreshold),
    recoveryThreshold:
      value.recoveryThreshold ??
      (value.type === 'push' ? 1 : MONITOR_LIMITS.defaultRecoveryThreshold),
    degradedIsDown: value.degradedIsDown ?? false,
    paused: value.paused ?? false,
    alerts: value.alerts ?? [],
    regionalAlerts: value.regionalAlerts ?? [],
    consensus: mergeConsensus(DEFAULT_CONSENSUS, value.consensus ?? {}),
    alertCooldownMs: value.alertCooldownMs ?? MONITOR_LIMITS.defaultAlertCooldownMs,
    nodes: value.nodes ?? { regions: [], labels: {} },
    dependsOn: value.dependsOn ?? [],
    createdAt: now,
    updatedAt: now,
  });
}

/** Applies a partial update to an existing monitor and re-validates the whole result. */
export function applyMonitorUpdate(existing: Monitor, input: unknown, now: number): Monitor {
  const parsed = updateMonitorSchema.safeParse(input);
  if (!parsed.success) throw validationError(zodIssues(parsed.error));
  const { consensus, ...fields } = parsed.data;
  // Keys given as undefined mean "not given"; parsed field types match Monitor's.
  const patch = Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<Monitor>;
  const typeChanged = patch.type !== undefined && patch.type !== existing.type;
  const merged: Monitor = {
    ...existing,
    ...patch,
    // Like options, the policy merges key by key: `--min-responders 3` keeps the quorum mode.
    consensus: mergeConsensus(existing.consensus, consensus ?? {}),
    // Options merge key by key (JSON merge patch: null removes a key). A new type keeps only
    // the old options it also has (http → http_keyword keeps headers, expected status…).
    options: mergeOptions(
      typeChanged
        ? optionsKnownTo(patch.type ?? existing.type, existing.options)
        : existing.options,
      patch.options ?? {},
      getCheck(patch.type ?? existing.type).exclusiveOptions ?? [],
    ),
    updatedAt: now,
  };
  // Shortening the interval alone shortens a longer timeout with it, rather than failing
  // on a timeout the user never chose explicitly in this edit.
  if (patch.intervalMs !== undefined && patch.timeoutMs === undefined) {
    merged.timeoutMs = Math.min(merged.timeoutMs, merged.intervalMs);
  }
  return finalizeMonitor(merged);
}

/**
 * A consensus policy with the given keys replaced. Switching modes drops the threshold of the
 * mode left behind (N for n_of_m, P for percent), also when the patch repeats its stored value
 * (a form sends the whole object back); a different value there is a conflict the checks name.
 */
function mergeConsensus(base: ConsensusPolicy, patch: ConsensusPatch): ConsensusPolicy {
  const quorum = patch.quorum ?? base.quorum;
  const threshold = (given: number | null | undefined, current: number | null, mode: string) => {
    const leaving = base.quorum === mode && quorum !== mode;
    if (given === undefined || (leaving && given === current))
      return quorum === mode ? current : null;
    return given;
  };
  return {
    quorum,
    requiredFailures: threshold(patch.requiredFailures, base.requiredFailures, 'n_of_m'),
    requiredPercent: threshold(patch.requiredPercent, base.requiredPercent, 'percent'),
    minResponders: patch.minResponders ?? base.minResponders,
    flapChanges: patch.flapChanges ?? base.flapChanges,
    flapWindowMs: patch.flapWindowMs ?? base.flapWindowMs,
  };
}

/** The modes with a threshold of their own, and the field that holds it. */
const THRESHOLDS = [
  { mode: 'n_of_m', field: 'requiredFailures' },
  { mode: 'percent', field: 'requiredPercent' },
] as const;

/** Problems with a policy's cross-field rules: each mode's threshold, and only its own. */
function consensusIssues(policy: ConsensusPolicy): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { mode, field } of THRESHOLDS) {
    const path = `consensus.${field}`;
    if (policy.quorum === mode && policy[field] === null)
      issues.push({ path, message: `is required when quorum is ${mode}` });
    if (policy.quorum !== mode && policy[field] !== null)
      issues.push({ path, message: `applies only when quorum is ${mode}` });
  }
  return issues;
}

/** Validates alert routes with their channel's schema, collecting issues under `field.<i>`. */
function parseRoutes(
  routes: readonly AlertRoute[],
  field: 'alerts' | 'regionalAlerts',
  issues: FieldIssue[],
): AlertRoute[] {
  const parsed: AlertRoute[] = [];
  routes.forEach((route, index) => {
    try {
      parsed.push(
        isTargetRoute(route)
          ? route
          : parseAlertRoute(route.channel, route.settings, `${field}.${index}`),
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      issues.push(...error.issues);
    }
  });
  return parsed;
}

/** The options a check type also declares (by its flags), dropping the rest. */
function optionsKnownTo(
  type: CheckType,
  options: Record<string, unknown>,
): Record<string, unknown> {
  const known = new Set(getCheck(type).flags.map((flag) => flag.key));
  return Object.fromEntries(Object.entries(options).filter(([key]) => known.has(key)));
}

/**
 * Shallow JSON merge patch (RFC 7396 at the top level): given keys replace, null deletes.
 * Giving one key of an exclusive group drops the group's other keys.
 */
function mergeOptions(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
  exclusive: readonly (readonly string[])[],
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const group of exclusive) {
    if (group.some((key) => key in patch))
      for (const key of group) if (!(key in patch)) delete merged[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The interval a new monitor of this type gets when none is given. */
function defaultIntervalOf(type: Monitor['type']): number {
  return getCheck(type).defaultIntervalMs ?? MONITOR_LIMITS.defaultIntervalMs;
}

/** Validates the cross-field rules and the type-specific parts (target, options, alert routes). */
function finalizeMonitor(monitor: Monitor): Monitor {
  const issues: FieldIssue[] = [];
  let target = monitor.target;
  let options = monitor.options;
  try {
    ({ target, options } = parseCheckConfig(monitor.type, monitor.target, monitor.options));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    issues.push(...error.issues);
  }
  const alerts = parseRoutes(monitor.alerts, 'alerts', issues);
  const regionalAlerts = parseRoutes(monitor.regionalAlerts, 'regionalAlerts', issues);
  issues.push(...consensusIssues(monitor.consensus));
  const minIntervalMs = getCheck(monitor.type).minIntervalMs;
  if (minIntervalMs !== undefined && monitor.intervalMs < minIntervalMs) {
    issues.push({
      path: 'intervalMs',
      message: `must be at least ${formatDuration(minIntervalMs)} for ${monitor.type} checks`,
    });
  }
  if (monitor.timeoutMs > monitor.intervalMs) {
    issues.push({
      path: 'timeoutMs',
      message: `must not exceed the interval (${monitor.intervalMs} ms)`,
    });
  }
  if (monitor.dependsOn.includes(monitor.id)) {
    issues.push({ path: 'dependsOn', message: 'a monitor cannot depend on itself' });
  }
  if (issues.length > 0) throw validationError(issues);
  const nodes = {
    regions: [...new Set(monitor.nodes.regions)],
    labels: monitor.nodes.labels,
  };
  return {
    ...monitor,
    target,
    options,
    alerts,
    regionalAlerts,
    nodes,
    tags: [...new Set(monitor.tags)],
    dependsOn: [...new Set(monitor.dependsOn)],
  };
}

import { z } from 'zod';
import type { JsonSchema } from '../../checks/options-json-schema.ts';
import { isSchema, propertiesOf, titleOf } from '../../checks/options-json-schema.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import { MONITOR_LIMITS } from '../../domain/monitor.ts';
import { createMonitorSchema } from './monitor-input.ts';

const DAY_MS = 86_400_000;

/** Help for the fields every monitor has (the type's own options come from checks.types.list). */
const FIELD_HELP: Readonly<Record<string, string>> = {
  name: 'shown in lists, alerts and status pages',
  type: 'check type; its target and options are described by checks.types.list',
  target: "what to check, in the type's own form (URL, host:port, DNS name…)",
  intervalMs: 'time between checks: milliseconds or text such as 30s or 5m',
  timeoutMs:
    "give up after: milliseconds or text (default: the type's default, at most the interval)",
  group: 'one group, for filters and status pages',
  tags: 'free-form labels, for filters, routing and maintenance windows',
  options: "the type's own settings (see the type's optionsSchema)",
  failureThreshold: 'consecutive failing results before a node reports the monitor suspect',
  recoveryThreshold: 'consecutive passing results before an incident can resolve',
  degradedIsDown: 'count degraded results (slow, certificate expiring) as failures',
  paused: 'create without checking',
  alerts: 'where down and recovered alerts go: named alert targets',
  regionalAlerts: 'where regional alerts go (failing from whole regions only); empty: nobody',
  consensus: 'how the cluster confirms an outage; missing keys take the defaults',
  alertCooldownMs: 'least time between two down alerts: milliseconds or text',
  nodes: 'which nodes run it: regions and labels to match; empty means every node',
  dependsOn:
    'monitors and groups it depends on: while one is confirmed down, its own incident is linked to that one and pages nobody',
};

/** Durations accept milliseconds or text; JSON Schema cannot say the text's bounds, so the
 * number branch carries them. */
const DURATIONS: Readonly<Record<string, { min: number; max: number; default?: number }>> = {
  intervalMs: {
    min: MONITOR_LIMITS.minIntervalMs,
    max: MONITOR_LIMITS.maxIntervalMs,
    default: MONITOR_LIMITS.defaultIntervalMs,
  },
  timeoutMs: { min: MONITOR_LIMITS.minTimeoutMs, max: MONITOR_LIMITS.maxTimeoutMs },
  alertCooldownMs: { min: 0, max: 7 * DAY_MS, default: MONITOR_LIMITS.defaultAlertCooldownMs },
};

const DEFAULTS: Readonly<Record<string, unknown>> = {
  tags: [],
  failureThreshold: MONITOR_LIMITS.defaultFailureThreshold,
  recoveryThreshold: MONITOR_LIMITS.defaultRecoveryThreshold,
  degradedIsDown: false,
  paused: false,
  alerts: [],
  regionalAlerts: [],
  consensus: DEFAULT_CONSENSUS,
  nodes: { regions: [], labels: {} },
};

function durationSchema(bounds: { min: number; max: number; default?: number }): JsonSchema {
  return {
    anyOf: [
      { type: 'integer', minimum: bounds.min, maximum: bounds.max },
      // `parseDuration`'s grammar: one or more amount+unit parts, e.g. 1h30m.
      { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d))+\\s*$' },
    ],
    ...(bounds.default === undefined ? {} : { default: bounds.default }),
  };
}

/**
 * The fields of `monitors.create` as JSON Schema (draft 2020-12) for the dashboard's form, with
 * titles, help, defaults and duration bounds that zod transforms hide. `type`, `target` and
 * `options` are per check type: the form takes them from checks.types.list.
 */
export function monitorFieldsJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(createMonitorSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const properties = propertiesOf(schema);
  for (const [key, bounds] of Object.entries(DURATIONS)) properties[key] = durationSchema(bounds);
  for (const [key, property] of Object.entries(properties)) {
    if (!isSchema(property)) continue;
    property['title'] ??= titleOf(key);
    const help = FIELD_HELP[key];
    if (property['description'] === undefined && help !== undefined) {
      property['description'] = help;
    }
    if (property['default'] === undefined && key in DEFAULTS) property['default'] = DEFAULTS[key];
  }
  return schema;
}

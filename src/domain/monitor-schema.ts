import { z } from 'zod';
import { PAGE_DELAY_MAX_MS, PAGE_DELAY_MIN_MS, ROUTED_EVENTS } from './alert-target.ts';
import { CHECK_TYPES } from './check-type.ts';
import { QUORUM_MODES } from './consensus.ts';

// The one description of a stored monitor: API and CLI responses (OpenAPI), the peer channel's
// config messages and anything else that carries a whole monitor use these schemas. Objects
// strip unknown keys rather than reject them, so an agent still reads a newer coordinator's
// monitors during a rolling upgrade.

const epochMs = z.number().int().min(0);

/** A route to a named alert target, with the events it hears and its repeat/escalation timing. */
export const targetRouteSchema = z.object({
  target: z
    .string()
    .min(1)
    .max(100)
    .describe('name of an alert target (`crosscheck alerts target list`)'),
  events: z
    .array(z.enum(ROUTED_EVENTS))
    .min(1)
    .nullable()
    .default(null)
    .describe(
      'events this route pages for; null: down, recovered, retracted, flapping (regional routes: regional)',
    ),
  repeatEveryMs: z
    .int()
    .min(PAGE_DELAY_MIN_MS)
    .max(PAGE_DELAY_MAX_MS)
    .nullable()
    .default(null)
    .describe('re-page every this many ms while the incident stays open and unacknowledged'),
  escalateAfterMs: z
    .int()
    .min(PAGE_DELAY_MIN_MS)
    .max(PAGE_DELAY_MAX_MS)
    .nullable()
    .default(null)
    .describe(
      'an escalation step: page only once the incident is open and unacknowledged this long',
    ),
});

/** A channel name plus its settings (validated by the channel's own schema where it is used). */
export const inlineRouteSchema = z.object({
  channel: z.string().min(1).describe('alert channel, e.g. webhook, slack, email'),
  settings: z
    .record(z.string(), z.unknown())
    .describe("the channel's settings; in responses, secrets are shown as ***"),
});

/** A route: a named target, or (as a shorthand that becomes a target) a channel with settings. */
export const alertRouteSchema = z.union([targetRouteSchema, inlineRouteSchema]);

/** Which nodes run a monitor: by region and labels; empty means every node. */
export const nodeSelectorSchema = z.object({
  regions: z.array(z.string()).describe('a node must be in one of these regions (empty: any)'),
  labels: z.record(z.string(), z.string()).describe('a node must carry every one of these labels'),
});

/** How the cluster confirms a monitor is down. */
export const consensusPolicySchema = z.object({
  quorum: z
    .enum(QUORUM_MODES)
    .describe(
      'majority: more than half of the answering nodes fail; n_of_m: requiredFailures fail; percent: at least requiredPercent % of the answering nodes fail',
    ),
  requiredFailures: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe('n_of_m only: failing nodes needed to confirm; null in the other modes'),
  // Defaulted so a node of this version still reads monitors from a coordinator without it.
  requiredPercent: z
    .number()
    .int()
    .min(1)
    .max(100)
    .nullable()
    .default(null)
    .describe('percent only: share (1–100) of the answering nodes that must fail; else null'),
  minResponders: z
    .number()
    .int()
    .min(1)
    .describe('fewest counted answers for any verdict but unknown'),
  flapChanges: z
    .number()
    .int()
    .min(1)
    .describe('more confirmed changes than this within flapWindowMs mark the monitor flapping'),
  flapWindowMs: z.number().int().min(1),
});

/** A monitor as stored, scheduled and shown (check options as the check type validated them). */
export const monitorSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.enum(CHECK_TYPES),
  target: z.string().describe('URL, host:port or hostname, depending on the type'),
  intervalMs: z.number().int().min(1),
  timeoutMs: z.number().int().min(1),
  group: z.string().nullable(),
  tags: z.array(z.string()),
  options: z
    .record(z.string(), z.unknown())
    .describe("the check type's options (docs/checks); credential headers shown as ***"),
  failureThreshold: z
    .number()
    .int()
    .min(1)
    .describe('consecutive failures before the monitor is down and an incident opens'),
  recoveryThreshold: z
    .number()
    .int()
    .min(1)
    .describe('consecutive successes before an open incident resolves'),
  degradedIsDown: z.boolean().describe('a degraded result counts as a failure'),
  paused: z.boolean(),
  alerts: z.array(alertRouteSchema),
  regionalAlerts: z
    .array(alertRouteSchema)
    .describe('routes for regional verdicts; empty: regional incidents page nobody'),
  consensus: consensusPolicySchema,
  nodes: nodeSelectorSchema,
  alertCooldownMs: z
    .number()
    .int()
    .min(0)
    .describe('minimum time between two down alerts; recoveries always send'),
  // Defaulted so a node of this version still reads monitors from a coordinator without it.
  dependsOn: z
    .array(z.string())
    .default([])
    .describe(
      'monitor ids and `group:<name>` entries this monitor depends on: while one of them is confirmed down, its incident is linked there and pages nobody',
    ),
  createdAt: epochMs,
  updatedAt: epochMs,
});

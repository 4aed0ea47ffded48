import { z } from 'zod';
import type { AlertAttempt } from '../../domain/alert.ts';
import type { AlertRoute } from '../../domain/monitor.ts';
import { alertRouteSchema } from '../../domain/monitor-schema.ts';
import type { AlertLogEntry } from '../../services/alert-log-service.ts';
import type { Agreement, Expect } from './agreement.ts';
import { epochMs } from './results.ts';

// Routes are part of the monitor shape, defined once in the domain.
export { alertRouteSchema };

/** One send attempt of an alert. */
export const alertAttemptSchema = z.object({
  attempt: z.number().int().min(1).describe('1 for the first send'),
  at: epochMs,
  outcome: z
    .enum(['sent', 'retry', 'failed'])
    .describe('delivered, failed but tried again later, or given up'),
  error: z
    .string()
    .nullable()
    .describe("the provider's answer or the network error; null when sent"),
  httpStatus: z.number().int().nullable(),
});

const named = z.object({ id: z.string(), name: z.string() });

/** One alert decision: one alert to one route, with every attempt to send it. */
export const alertLogEntrySchema = z.object({
  id: z.string(),
  at: epochMs.describe('when the alert was decided'),
  monitor: named.nullable().describe('the monitor as it was named then (it may be gone since)'),
  node: named.nullable().describe('the node of a node alert'),
  incidentId: z.string().nullable(),
  kind: z.string().describe('down, regional, recovered, retracted, node-missing…: an open set'),
  route: alertRouteSchema,
  status: z
    .enum(['pending', 'held', 'retrying', 'sent', 'failed', 'suppressed'])
    .describe(
      "retrying: pending after failed attempts; held: an opening waiting for its cause group's decision; suppressed: held back by a rule (reason)",
    ),
  reason: z
    .string()
    .nullable()
    .describe("the alert policy's reason; for a suppressed alert, the rule that held it back"),
  lastError: z.string().nullable(),
  attempts: z.number().int().min(0),
  nextAttemptAt: epochMs.nullable().describe('null unless pending or retrying'),
  sentAt: epochMs.nullable(),
  attemptHistory: z.array(alertAttemptSchema).describe('every send attempt, oldest first'),
  message: z.string().describe("the alert's one line for people"),
});

export type AlertRouteAgrees = Expect<Agreement<typeof alertRouteSchema, AlertRoute>>;
export type AlertAttemptAgrees = Expect<Agreement<typeof alertAttemptSchema, AlertAttempt>>;
export type AlertLogEntryAgrees = Expect<Agreement<typeof alertLogEntrySchema, AlertLogEntry>>;

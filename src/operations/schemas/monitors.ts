import { z } from 'zod';
import type { Monitor } from '../../domain/monitor.ts';
import { monitorSchema } from '../../domain/monitor-schema.ts';
import type { MonitorStatus } from '../../domain/monitor-state.ts';
import type { MonitorStatusView } from '../../services/status-service.ts';
import type { Agreement, Expect } from './agreement.ts';
import { managedByField, warningsField } from './managed.ts';
import { verdictSchema } from './incidents.ts';
import { nodeRefSchema } from './nodes.ts';
import { nodeUptimeSchema } from './uptime.ts';
import { epochMs } from './results.ts';

// The monitor shape is defined once, in the domain, because the peer channel carries it too.
export { monitorSchema };

export const monitorStatusValue = z
  .enum(['pending', 'up', 'degraded', 'down', 'regional', 'unknown', 'flapping', 'paused'])
  .describe(
    'paused: by the user; down and regional: an open incident; unknown: too few nodes answered; flapping: confirmed changes came too often; the rest from results',
  );

/** Uptime per `status` window: confirmed downtime over observed time; null when nothing was observed. */
const uptimeWindows = z.object({
  '24h': z.number().nullable(),
  '7d': z.number().nullable(),
  '30d': z.number().nullable(),
  '90d': z.number().nullable(),
});

const failingSchema = z
  .object({
    regions: z.array(z.string()).describe('whole regions that failed'),
    nodes: z.array(nodeRefSchema),
    of: z.number().int().min(0).describe('nodes that run the monitor'),
  })
  .describe('sub-quorum trouble: nodes that failed in the last round although nobody was paged');

/** One row of `crosscheck status` / `GET /api/v1/status`. */
export const monitorStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: monitorSchema.shape.type,
  target: z.string(),
  group: z.string().nullable(),
  tags: z.array(z.string()),
  status: monitorStatusValue,
  statusSince: epochMs.nullable(),
  lastCheckedAt: epochMs.nullable(),
  lastLatencyMs: z.number().nullable(),
  lastMessage: z.string().nullable(),
  openIncidentId: z.string().nullable(),
  verdict: verdictSchema.nullable().describe("the last decided round's verdict"),
  regions: z.array(z.string()).describe('regions of an open regional incident (sorted)'),
  failing: failingSchema.nullable(),
  lastNode: nodeRefSchema.nullable().describe('the node that reported the last result'),
  lastResult: z
    .enum(['passed', 'failed', 'node-error'])
    .nullable()
    .describe("how the last result went; node-error: the node's own fault"),
  uptime: uptimeWindows,
  regionUptime: z
    .array(z.object({ region: z.string(), uptime: uptimeWindows }))
    .describe('regions a regional incident named, with their own uptime (others have uptime)'),
  nodes: z
    .array(nodeUptimeSchema)
    .describe("each node's own figures over 24 h, for a monitor with node trouble; else empty"),
  maintenance: z
    .object({ id: z.string(), name: z.string(), until: epochMs })
    .nullable()
    .describe('the maintenance window covering it now (nothing pages until `until`)'),
});

export type MonitorAgrees = Expect<Agreement<typeof monitorSchema, Monitor>>;

/** As read: with the config file that manages it, if one does. */
export const managedMonitorSchema = monitorSchema.extend({ managedBy: managedByField });
/** After an edit: with a warning when a config file manages it (its next apply undoes the edit). */
export const editedMonitorSchema = monitorSchema.extend({ warnings: warningsField });
export type MonitorStatusValueAgrees = Expect<Agreement<typeof monitorStatusValue, MonitorStatus>>;
export type MonitorStatusAgrees = Expect<Agreement<typeof monitorStatusSchema, MonitorStatusView>>;

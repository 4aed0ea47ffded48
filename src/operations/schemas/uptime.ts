import { z } from 'zod';
import type { MonitorUptimeView, NodeUptime, RegionUptime } from '../../services/uptime-views.ts';
import type { Agreement, Expect } from './agreement.ts';
import { epochMs } from './results.ts';

const count = z.number().int().min(0);

/**
 * One node's own view of a monitor: not uptime (no quorum confirmed it), but what that node
 * saw, so one node's trouble is visible and named.
 */
export const nodeUptimeSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  checks: count.describe('results that passed or failed (node errors left out)'),
  failures: count.describe('results that failed (down, and degraded when it counts as down)'),
  errors: count.describe('results with status error: the check could not run on this node'),
  passing: z
    .number()
    .nullable()
    .describe("the node's share of passing results; null without checks"),
  localFailures: count.describe('rounds decided local in which this node’s counted vote failed'),
});

export const regionUptimeSchema = z.object({
  region: z.string().describe('(none) for nodes without a region'),
  nodes: count.describe('nodes of the region that run the monitor or reported results'),
  downMs: z.number().min(0),
  uptime: z
    .number()
    .nullable()
    .describe('1 − downMs ÷ observed time; null when nothing was observed'),
});

/** A monitor's uptime over a window, per region and per node. */
export const uptimeViewSchema = z.object({
  monitorId: z.string(),
  windowMs: z.number().int().min(0),
  since: epochMs.describe('start of the window'),
  uptime: z
    .number()
    .nullable()
    .describe('confirmed downtime over observed time; null when nothing was observed'),
  observedMs: z.number().min(0).describe('time in the window after creation, not paused'),
  downMs: z.number().min(0),
  regions: z.array(regionUptimeSchema),
  nodes: z.array(nodeUptimeSchema),
});

export type NodeUptimeAgrees = Expect<Agreement<typeof nodeUptimeSchema, NodeUptime>>;
export type RegionUptimeAgrees = Expect<Agreement<typeof regionUptimeSchema, RegionUptime>>;
export type UptimeViewAgrees = Expect<Agreement<typeof uptimeViewSchema, MonitorUptimeView>>;

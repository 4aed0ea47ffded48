import { z } from 'zod';
import type {
  CompactOverviewItem,
  CompactOverviewPage,
  DayStrip,
} from '../../services/overview/day-strip.ts';
import type { RegionView, SparkPoint } from '../../services/overview/overview-details.ts';
import type { Agreement, Expect } from './agreement.ts';
import { verdictSchema } from './incidents.ts';
import { monitorSchema, monitorStatusValue } from './monitors.ts';
import { epochMs } from './results.ts';

const count = z.number().int().min(0);
const share = z.number().min(0).max(1);

const dayStripSchema = z
  .object({
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .describe('the first UTC day, YYYY-MM-DD; day i is i days after it; null: no days'),
    days: z
      .string()
      .regex(/^[und]*$/)
      .describe(
        'one character per UTC day, oldest first: `u` up all its observed time (uptime 1, ' +
          'no downtime), `n` nothing observed (uptime null: before creation, paused, in ' +
          'maintenance), `d` its figures are the next entries of `uptime` and `downtimeMs`',
      ),
    uptime: z
      .array(share.nullable())
      .describe(
        'one per `d` day, in order: up time over observed time (confirmed downtime only); ' +
          'null: nothing observed',
      ),
    downtimeMs: z
      .array(z.number().min(0))
      .describe('one per `d` day, in order: confirmed downtime'),
  })
  .describe(
    "daily uptime bars, compact: `days` gives each day's kind in one character, and only " +
      '`d` days carry figures, in `uptime[k]` and `downtimeMs[k]` for the k-th `d`. E.g. ' +
      '`{from: "2026-01-01", days: "und", uptime: [0.75], downtimeMs: [3600000]}`: Jan 1 up, ' +
      'Jan 2 no data, Jan 3 75 % up with an hour down',
  );

const sparkPointSchema = z.object({
  at: epochMs.describe('start of the hour'),
  latencyMs: z.number().min(0).describe("the hour's median latency"),
});

const regionViewSchema = z.object({
  region: z.string().describe('(none) for nodes without a region'),
  state: z
    .enum(['up', 'down', 'unknown'])
    .describe('down: more of its nodes see it down than up; unknown: no fresh result'),
  up: count.describe('nodes whose newest result is up or degraded'),
  down: count.describe('nodes whose newest result is down'),
  total: count.describe('nodes of the region that run the monitor'),
});

export const overviewItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: monitorSchema.shape.type,
  target: z.string(),
  group: z.string().nullable(),
  tags: z.array(z.string()),
  paused: z.boolean(),
  state: monitorStatusValue,
  stateSince: epochMs.nullable(),
  verdict: verdictSchema.nullable().describe("the last decided round's verdict"),
  openIncidentId: z.string().nullable(),
  lastCheckAt: epochMs.nullable(),
  latencyMs: z.number().nullable().describe("the last result's latency"),
  uptime24h: share.nullable(),
  bars: dayStripSchema.describe(
    '90 UTC days, oldest first; the last is today so far. Compact: `days` has one character ' +
      'per day (`u` up, `n` no data, `d` figures in `uptime`/`downtimeMs`, one entry per `d`)',
  ),
  sparkline: z
    .array(sparkPointSchema)
    .describe('hourly median latency over the last 24 hours, oldest first; empty hours left out'),
  regions: z
    .array(regionViewSchema)
    .describe("each region's nodes' newest fresh result (within 3 intervals)"),
});

const stateCounts = z.object({
  pending: count,
  up: count,
  degraded: count,
  down: count,
  regional: count,
  unknown: count,
  flapping: count,
  paused: count,
});

export const overviewPageSchema = z.object({
  total: count.describe('monitors matching every filter'),
  offset: count,
  counts: stateCounts.describe('monitors per state matching every filter but `state`'),
  groups: z.array(z.string()).describe('every group (for filter menus)'),
  tags: z.array(z.string()).describe('every tag'),
  regions: z.array(z.string()).describe('every region of a current node'),
  items: z.array(overviewItemSchema),
});

export type DayStripAgrees = Expect<Agreement<typeof dayStripSchema, DayStrip>>;
export type SparkPointAgrees = Expect<Agreement<typeof sparkPointSchema, SparkPoint>>;
export type RegionViewAgrees = Expect<Agreement<typeof regionViewSchema, RegionView>>;
export type OverviewItemAgrees = Expect<Agreement<typeof overviewItemSchema, CompactOverviewItem>>;
export type OverviewPageAgrees = Expect<Agreement<typeof overviewPageSchema, CompactOverviewPage>>;

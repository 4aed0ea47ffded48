/**
 * The shapes of `GET /api/v1/overview` (monitors.overview) as the overview page reads them;
 * test/types/web-overview-types.check.ts makes tsc prove them against the server's schema.
 */
import type { MonitorState } from './types.ts';

/** One day's bar, as `decodeDayStrip` (day-strip.ts) spells a strip out. */
export interface DayBar {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Share of observed time up; null when nothing was observed that day. */
  uptime: number | null;
  downtimeMs: number;
}

/**
 * Consecutive days' bars as the API sends them: one character per day in `days` (`u` up,
 * `n` nothing observed, `d` figures in the next entries of `uptime` and `downtimeMs`).
 */
export interface DayStrip {
  /** The first day, YYYY-MM-DD; null when there are no days. */
  from: string | null;
  days: string;
  uptime: (number | null)[];
  downtimeMs: number[];
}

export interface SparkPoint {
  at: number;
  latencyMs: number;
}

export interface RegionView {
  region: string;
  state: 'up' | 'down' | 'unknown';
  up: number;
  down: number;
  total: number;
}

export interface OverviewItem {
  id: string;
  name: string;
  type: string;
  target: string;
  group: string | null;
  tags: string[];
  paused: boolean;
  state: MonitorState;
  verdict: string | null;
  openIncidentId: string | null;
  lastCheckAt: number | null;
  latencyMs: number | null;
  uptime24h: number | null;
  bars: DayStrip;
  sparkline: SparkPoint[];
  regions: RegionView[];
}

export type StateCounts = Record<MonitorState, number>;

export interface OverviewPage {
  total: number;
  offset: number;
  counts: StateCounts;
  groups: string[];
  tags: string[];
  regions: string[];
  items: OverviewItem[];
}

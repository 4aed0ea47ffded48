/**
 * The shapes of `GET /api/v1/overview` (monitors.overview) as the overview page reads them;
 * test/types/web-overview-types.check.ts makes tsc prove them against the server's schema.
 */
import type { MonitorState } from './types.ts';

export interface DayBar {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Share of observed time up; null when nothing was observed that day. */
  uptime: number | null;
  downtimeMs: number;
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
  bars: DayBar[];
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

/**
 * The monitor page's API shapes (monitors.get, monitors.status, results.list, monitors.uptime,
 * monitors.rounds, probe.run). Declared, not imported, like types.ts; test/types/
 * web-monitor-types.check.ts makes tsc prove them against the operations' output schemas.
 */
import type { MonitorStatus } from './types.ts';

export type Verdict = 'down' | 'regional' | 'local' | 'up' | 'unknown';
export type CheckStatus = 'up' | 'degraded' | 'down' | 'error';

/** The fields of monitors.get the page uses (probe needs the check as configured). */
export interface MonitorConfig extends Pick<
  MonitorStatus,
  'id' | 'name' | 'type' | 'target' | 'group' | 'tags'
> {
  options: Record<string, unknown>;
  timeoutMs: number;
  intervalMs: number;
  paused: boolean;
}

export interface UptimeWindows {
  '24h': number | null;
  '7d': number | null;
  '30d': number | null;
  '90d': number | null;
}

/** monitors.status with the verdict and uptime windows. */
export interface MonitorStatusDetail extends MonitorStatus {
  statusSince: number | null;
  lastMessage: string | null;
  verdict: Verdict | null;
  regions: string[];
  uptime: UptimeWindows;
  regionUptime: { region: string; uptime: UptimeWindows }[];
}

export interface PhaseTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
}

export interface CheckResult {
  id: string;
  monitorId: string;
  nodeId: string;
  checkedAt: number;
  status: CheckStatus;
  latencyMs: number;
  timings: PhaseTimings;
  errorKind?: string;
  message: string;
}

export interface NodeUptime {
  nodeId: string;
  name: string;
  region: string | null;
  checks: number;
  failures: number;
  errors: number;
  passing: number | null;
}

export interface RegionUptime {
  region: string;
  nodes: number;
  downMs: number;
  uptime: number | null;
}

export interface UptimeView {
  monitorId: string;
  windowMs: number;
  since: number;
  uptime: number | null;
  observedMs: number;
  downMs: number;
  regions: RegionUptime[];
  nodes: NodeUptime[];
}

export interface RoundVote {
  nodeId: string;
  nodeName: string;
  region: string | null;
  outcome: 'fail' | 'ok' | 'abstain' | 'no-answer';
  status: CheckStatus | null;
  latencyMs: number | null;
  errorKind: string | null;
  message: string;
  timings: PhaseTimings;
  late: boolean;
  setAside: string | null;
}

export interface Round {
  id: string;
  incidentId: string | null;
  purpose: string;
  decidedAt: number;
  verdict: Verdict;
  regions: string[];
  votes: RoundVote[];
}

export interface ProbeReport {
  nodes: {
    nodeId: string;
    name: string;
    region: string | null;
    outcome: 'fail' | 'ok' | 'error' | 'no-answer';
    evidence: { latencyMs: number | null; message: string } | null;
    error: string | null;
  }[];
  verdict: { kind: string; regions: string[]; line: string };
}

import type { CheckType } from './check-type.ts';
import type { ConsensusPolicy } from './consensus.ts';

import type { AlertRoute } from './alert-target.ts';

export type { AlertRoute } from './alert-target.ts';

/**
 * Which nodes run a monitor: a node qualifies when its region is one of `regions` (or `regions`
 * is empty) and it carries every label in `labels`. The empty selector means every node.
 */
export interface NodeSelector {
  regions: string[];
  labels: Record<string, string>;
}

/** A monitor as stored and scheduled. `options` holds the check type's validated options. */
export interface Monitor {
  id: string;
  name: string;
  type: CheckType;
  target: string;
  intervalMs: number;
  timeoutMs: number;
  group: string | null;
  tags: string[];
  options: Record<string, unknown>;
  /** Consecutive failures before the monitor is down and an incident opens. */
  failureThreshold: number;
  /** Consecutive successes before an open incident resolves. */
  recoveryThreshold: number;
  /** When true a degraded result counts as a failure (opens incidents). */
  degradedIsDown: boolean;
  paused: boolean;
  alerts: AlertRoute[];
  /**
   * Routes for regional verdicts (failing from whole regions only). Empty: regional incidents
   * are recorded and shown but page nobody.
   */
  regionalAlerts: AlertRoute[];
  /** How the cluster confirms this monitor is down (quorum, responders, flapping). */
  consensus: ConsensusPolicy;
  /** Which cluster nodes run this monitor. */
  nodes: NodeSelector;
  /** Minimum time between two "down" alerts of this monitor; recoveries always send. */
  alertCooldownMs: number;
  /**
   * What this monitor depends on: monitor ids, and `group:<name>` for every monitor of a group.
   * While one of them has a confirmed incident, this monitor's own incident is linked to it and
   * pages nobody (see `consensus/dependencies.ts`).
   */
  dependsOn: string[];
  createdAt: number;
  updatedAt: number;
}

/** How a monitor is named in alerts and views: identity and labels, no settings. */
export type MonitorRef = Pick<Monitor, 'id' | 'name' | 'type' | 'target' | 'group' | 'tags'>;

/** The reference of a monitor. */
export function monitorRef(monitor: Monitor): MonitorRef {
  const { id, name, type, target, group, tags } = monitor;
  return { id, name, type, target, group, tags };
}

/** Bounds shared by every transport (CLI, API) so limits are stated once. */
export const MONITOR_LIMITS = {
  minIntervalMs: 1_000,
  maxIntervalMs: 86_400_000,
  minTimeoutMs: 100,
  maxTimeoutMs: 120_000,
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  defaultFailureThreshold: 2,
  defaultRecoveryThreshold: 2,
  defaultAlertCooldownMs: 300_000,
} as const;

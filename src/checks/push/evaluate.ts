import type { CheckDetails } from '../../domain/check-result.ts';
import { compileCron, nextCronRun } from '../../lib/cron.ts';
import { formatDuration } from '../../lib/duration.ts';
import type { PushSchedule } from './options.ts';
import type { PushState } from './state.ts';

/** What the coordinator concludes about a push monitor at one moment. */
export interface PushEvaluation {
  status: 'up' | 'down';
  /** Why it is down: the job said so (`fail`), or a ping did not come in time (`missed`). */
  cause: 'fail' | 'missed' | null;
  message: string;
  details: CheckDetails;
  /**
   * When the verdict changes next with no new ping (epoch ms): the deadline of an up monitor;
   * null when down or when no expected time is left (a cron that never matches again).
   */
  nextDeadline: number | null;
}

/** The facts besides the pings: when the monitor was created, when this coordinator started. */
export interface PushClock {
  now: number;
  /** The monitor's creation: the anchor of its first deadline before any ping. */
  createdAt: number;
  /** This coordinator's start: no missed-ping down before it plus grace (it may have missed pings). */
  coordinatorStartedAt: number;
}

/**
 * Judges a push monitor from its pings (pure), with healthchecks.io's rules:
 * - a fail ping (`/fail`, `?status=down`) is down until the next success ping;
 * - after `/start`, down once `grace` passes with no closing ping;
 * - simple schedule: down once `period + grace` passes after the last ping;
 * - cron schedule: down once the first expected time after the last ping, plus `grace`, passes.
 * Before the first ping the monitor's creation stands in for it (where healthchecks.io keeps a
 * "new" check silent, a job that never reports is worth a page). A missed-ping down waits at
 * least `grace` after the coordinator started, since pings sent while it was stopped are lost.
 */
export function evaluatePush(
  state: PushState,
  schedule: PushSchedule,
  clock: PushClock,
): PushEvaluation {
  const { now } = clock;
  const details = detailsOf(state, schedule);
  if (state.runStartedAt === null && state.lastStatus === 'down')
    return {
      status: 'down',
      cause: 'fail',
      message: `the job reported failure${state.lastMessage ? `: ${state.lastMessage}` : ''}`,
      details,
      nextDeadline: null,
    };
  const restartFloor = clock.coordinatorStartedAt + schedule.graceMs;
  if (state.runStartedAt !== null) {
    const deadline = Math.max(state.runStartedAt + schedule.graceMs, restartFloor);
    const expectedBy = { ...details, expectedBy: new Date(deadline).toISOString() };
    if (now > deadline)
      return {
        status: 'down',
        cause: 'missed',
        message: `the run started at ${iso(state.runStartedAt)} sent no closing ping within the grace period`,
        details: expectedBy,
        nextDeadline: null,
      };
    return {
      status: 'up',
      cause: null,
      message: `running since ${iso(state.runStartedAt)}`,
      details: expectedBy,
      nextDeadline: deadline,
    };
  }
  const anchor = state.lastPingAt ?? clock.createdAt;
  const expected = expectedAfter(schedule, anchor);
  if (expected === null)
    return {
      status: 'up',
      cause: null,
      message: 'no further ping expected by the schedule',
      details,
      nextDeadline: null,
    };
  const deadline = Math.max(expected + schedule.graceMs, restartFloor);
  const withDeadline = { ...details, expectedBy: new Date(deadline).toISOString() };
  const since =
    state.lastPingAt === null ? 'no ping received yet' : `last ping ${iso(state.lastPingAt)}`;
  if (now > deadline)
    return {
      status: 'down',
      cause: 'missed',
      message: `no ping since the expected time ${iso(expected)} and its grace period (${since})`,
      details: withDeadline,
      nextDeadline: null,
    };
  return {
    status: 'up',
    cause: null,
    message: `${since}; next expected by ${iso(deadline)}`,
    details: withDeadline,
    nextDeadline: deadline,
  };
}

/** The first time a ping is expected after `anchor` (without grace); null when none is left. */
export function expectedAfter(schedule: PushSchedule, anchor: number): number | null {
  if (schedule.kind === 'period') return anchor + schedule.periodMs;
  return nextCronRun(compileCron(schedule.cron, schedule.timezone), anchor);
}

function detailsOf(state: PushState, schedule: PushSchedule): CheckDetails {
  const details: CheckDetails = {
    schedule:
      schedule.kind === 'period'
        ? `every ${formatDuration(schedule.periodMs)}`
        : `cron "${schedule.cron}" in ${schedule.timezone}`,
    graceMs: schedule.graceMs,
    lastPingAt: state.lastPingAt === null ? null : iso(state.lastPingAt),
  };
  if (state.runStartedAt !== null) details.runStartedAt = iso(state.runStartedAt);
  if (state.lastRunMs !== null) details.runMs = state.lastRunMs;
  if (state.lastMessage !== null) details.lastMessage = state.lastMessage;
  return details;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

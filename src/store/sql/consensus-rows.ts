import type { Insertable, Selectable } from 'kysely';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { CHECK_STATUSES, ERROR_KINDS } from '../../domain/check-result.ts';
import type {
  ConsensusPolicy,
  ConsensusRound,
  IncidentVerdict,
  Verdict,
  Vote,
  VoteOutcome,
} from '../../domain/consensus.ts';
import { QUORUM_MODES, ROUND_PURPOSES, SET_ASIDE_REASONS } from '../../domain/consensus.ts';
import type { ColumnRef } from './json-column.ts';
import { corrupt, oneOf, oneOfOrNull, parseJsonObject, parseStringArray } from './json-column.ts';
import type { RoundVotesTable, RoundsTable } from './schema.ts';

export const VERDICTS: readonly Verdict[] = ['down', 'regional', 'local', 'up', 'unknown'];
export const INCIDENT_VERDICTS: readonly IncidentVerdict[] = ['down', 'regional'];
const OUTCOMES: readonly VoteOutcome[] = ['fail', 'ok', 'abstain', 'no-answer'];
const VOTE_STATUSES = CHECK_STATUSES;
const TIMING_KEYS: readonly (keyof PhaseTimings)[] = ['dnsMs', 'connectMs', 'tlsMs', 'firstByteMs'];

const col = (table: string, column: string): ColumnRef => ({ table, column });

/** PostgreSQL returns bigint columns as strings; SQLite as numbers. */
const num = (value: number | string): number => Number(value);
const numOrNull = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

/** Parses monitors.consensus, naming the field that is wrong. */
export function parseConsensusPolicy(text: string): ConsensusPolicy {
  const where = col('monitors', 'consensus');
  const value = parseJsonObject(text, where);
  const int = (field: string): number => {
    const v = value[field];
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw corrupt(where, `${field} must be an integer`);
    return v;
  };
  const quorum = value['quorum'];
  if (typeof quorum !== 'string') throw corrupt(where, 'quorum must be a string');
  return {
    quorum: oneOf(quorum, QUORUM_MODES, where),
    requiredFailures: value['requiredFailures'] === null ? null : int('requiredFailures'),
    // Absent in policies stored before the percent mode existed.
    requiredPercent: value['requiredPercent'] == null ? null : int('requiredPercent'),
    minResponders: int('minResponders'),
    flapChanges: int('flapChanges'),
    flapWindowMs: int('flapWindowMs'),
  };
}

/** Round → row (votes go to round_votes). */
export function roundToRow(r: ConsensusRound): Insertable<RoundsTable> {
  return {
    id: r.id,
    monitor_id: r.monitorId,
    incident_id: r.incidentId,
    purpose: r.purpose,
    triggered_by: r.triggeredBy,
    opened_at: r.openedAt,
    deadline_at: r.deadlineAt,
    decided_at: r.decidedAt,
    verdict: r.verdict,
    regions: JSON.stringify(r.regions),
  };
}

/** Vote → row of `roundId`; booleans as 0/1, timings as JSON. */
export function voteToRow(roundId: string, v: Vote): Insertable<RoundVotesTable> {
  return {
    round_id: roundId,
    node_id: v.nodeId,
    node_name: v.nodeName,
    region: v.region,
    outcome: v.outcome,
    status: v.status,
    latency_ms: v.latencyMs,
    error_kind: v.errorKind,
    message: v.message,
    timings: JSON.stringify(v.timings),
    checked_at: v.checkedAt,
    answered_at: v.answeredAt,
    late: v.late ? 1 : 0,
    set_aside: v.setAside,
  };
}

/** Row → round with the votes given (already in listing order). */
export function rowToRound(row: Selectable<RoundsTable>, votes: Vote[]): ConsensusRound {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    incidentId: row.incident_id,
    purpose: oneOf(row.purpose, ROUND_PURPOSES, col('rounds', 'purpose')),
    triggeredBy: row.triggered_by,
    openedAt: num(row.opened_at),
    deadlineAt: num(row.deadline_at),
    decidedAt: num(row.decided_at),
    verdict: oneOf(row.verdict, VERDICTS, col('rounds', 'verdict')),
    regions: parseStringArray(row.regions, col('rounds', 'regions')),
    votes,
  };
}

/** Row → vote. */
export function rowToVote(row: Selectable<RoundVotesTable>): Vote {
  const where = (column: string) => col('round_votes', column);
  return {
    nodeId: row.node_id,
    nodeName: row.node_name,
    region: row.region,
    outcome: oneOf(row.outcome, OUTCOMES, where('outcome')),
    status: oneOfOrNull(row.status, VOTE_STATUSES, where('status')),
    latencyMs: row.latency_ms,
    errorKind: oneOfOrNull(row.error_kind, ERROR_KINDS, where('error_kind')),
    message: row.message,
    timings: parseTimings(row.timings),
    checkedAt: numOrNull(row.checked_at),
    answeredAt: numOrNull(row.answered_at),
    late: row.late !== 0,
    setAside: oneOfOrNull(row.set_aside, SET_ASIDE_REASONS, where('set_aside')),
  };
}

function parseTimings(text: string): PhaseTimings {
  const where = col('round_votes', 'timings');
  const value = parseJsonObject(text, where);
  const timings: PhaseTimings = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(TIMING_KEYS as readonly string[]).includes(key) || typeof v !== 'number') {
      throw corrupt(where, `unexpected timing ${JSON.stringify(key)}`);
    }
    timings[key as keyof PhaseTimings] = v;
  }
  return timings;
}

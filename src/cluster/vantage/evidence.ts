import type { CheckResult } from '../../domain/check-result.ts';
import type { VoteEvidence } from '../../domain/consensus.ts';

/** The longest message the peer protocol carries in evidence. */
const MAX_MESSAGE = 4_000;

function bounded(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/** A check result condensed to what a vote, signal or probe answer carries. */
export function evidenceOf(result: CheckResult, checkedAt: number, note?: string): VoteEvidence {
  return {
    status: result.status,
    latencyMs: Math.round(result.latencyMs * 100) / 100,
    errorKind: result.errorKind ?? null,
    message: bounded(note === undefined ? result.message : `${result.message} (${note})`),
    timings: { ...result.timings },
    checkedAt,
  };
}

/** Evidence for an answer given without running a check; the message says why. */
export function noCheckEvidence(message: string): VoteEvidence {
  return {
    status: null,
    latencyMs: null,
    errorKind: null,
    message: bounded(message),
    timings: {},
    checkedAt: null,
  };
}

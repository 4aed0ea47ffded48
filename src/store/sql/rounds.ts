import type { Insertable, Kysely } from 'kysely';
import type { ConsensusRound, Vote } from '../../domain/consensus.ts';
import type { IngestBatch, RoundFilter } from '../types.ts';
import { chunked, IN_LIST_CHUNK, insertChunks } from './chunks.ts';
import { roundToRow, rowToRound, rowToVote, voteToRow } from './consensus-rows.ts';
import type { Database, RoundVotesTable } from './schema.ts';

/** Rounds listed when the caller gives no limit. */
export const DEFAULT_ROUND_LIMIT = 100;

/**
 * Inserts decided rounds with their votes. Idempotent per round id: a round already stored
 * (a replayed batch) inserts nothing, not even votes, so a decided round never changes.
 */
export async function insertRounds(
  db: Kysely<Database>,
  rounds: readonly ConsensusRound[],
): Promise<void> {
  if (rounds.length === 0) return;
  const stored = await existingRoundIds(
    db,
    rounds.map((r) => r.id),
  );
  const fresh = new Map<string, ConsensusRound>();
  for (const round of rounds) {
    if (!stored.has(round.id) && !fresh.has(round.id)) fresh.set(round.id, round);
  }
  const rows = [...fresh.values()];
  for (const chunk of insertChunks(rows.map(roundToRow))) {
    await db.insertInto('rounds').values(chunk).execute();
  }
  const votes = rows.flatMap((round) => round.votes.map((vote) => voteToRow(round.id, vote)));
  for (const chunk of insertChunks(votes)) {
    // A round lists each node once; DO NOTHING only guards a malformed duplicate.
    await db
      .insertInto('round_votes')
      .values(chunk)
      .onConflict((oc) => oc.columns(['round_id', 'node_id']).doNothing())
      .execute();
  }
}

/**
 * Records answers that came after their round was decided, flagged late. A decided round
 * lists every asked node, a silent one as `no-answer`; its late answer takes that row's place
 * (neither is counted, so the decision's basis is unchanged). A node with any other vote in
 * the round keeps it, and votes of rounds that are not stored (pruned, or their monitor
 * deleted) are dropped.
 */
export async function insertLateVotes(
  db: Kysely<Database>,
  lateVotes: NonNullable<IngestBatch['lateVotes']>,
): Promise<void> {
  if (lateVotes.length === 0) return;
  const stored = await existingRoundIds(
    db,
    lateVotes.map((v) => v.roundId),
  );
  // One row per (round, node): PostgreSQL refuses to update a row twice in one statement.
  const unique = new Map<string, Insertable<RoundVotesTable>>();
  for (const { roundId, vote } of lateVotes) {
    const key = JSON.stringify([roundId, vote.nodeId]);
    if (stored.has(roundId) && !unique.has(key)) {
      unique.set(key, voteToRow(roundId, { ...vote, late: true }));
    }
  }
  for (const chunk of insertChunks([...unique.values()])) {
    await db
      .insertInto('round_votes')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['round_id', 'node_id'])
          .doUpdateSet((eb) => ({
            node_name: eb.ref('excluded.node_name'),
            region: eb.ref('excluded.region'),
            outcome: eb.ref('excluded.outcome'),
            status: eb.ref('excluded.status'),
            latency_ms: eb.ref('excluded.latency_ms'),
            error_kind: eb.ref('excluded.error_kind'),
            message: eb.ref('excluded.message'),
            timings: eb.ref('excluded.timings'),
            checked_at: eb.ref('excluded.checked_at'),
            answered_at: eb.ref('excluded.answered_at'),
            late: eb.ref('excluded.late'),
            set_aside: eb.ref('excluded.set_aside'),
          }))
          .where('round_votes.outcome', '=', 'no-answer')
          .where('round_votes.late', '=', 0),
      )
      .execute();
  }
}

async function existingRoundIds(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunked([...new Set(ids)], IN_LIST_CHUNK)) {
    const rows = await db.selectFrom('rounds').select('id').where('id', 'in', chunk).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/**
 * Decided rounds, newest decision first (ties by id), with their votes ordered by node name:
 * one query for the rounds and one per IN-list chunk for their votes.
 */
export async function listRounds(
  db: Kysely<Database>,
  filter: RoundFilter = {},
): Promise<ConsensusRound[]> {
  let query = db
    .selectFrom('rounds')
    .selectAll()
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? DEFAULT_ROUND_LIMIT);
  if (filter.monitorId !== undefined) query = query.where('monitor_id', '=', filter.monitorId);
  if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.since !== undefined) query = query.where('decided_at', '>=', filter.since);
  const { after } = filter;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('decided_at', '<', after.decidedAt),
        eb.and([eb('decided_at', '=', after.decidedAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  if (filter.verdicts !== undefined) {
    // An empty list matches nothing (and `in ()` is not valid SQL everywhere).
    if (filter.verdicts.length === 0) return [];
    query = query.where('verdict', 'in', filter.verdicts);
  }
  const { failingNode } = filter;
  if (failingNode !== undefined) {
    // A counted fail: answered in time and not set aside (late and set-aside votes are
    // recorded, not counted).
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('round_votes')
          .select('round_votes.round_id')
          .whereRef('round_votes.round_id', '=', 'rounds.id')
          .where('round_votes.node_id', '=', failingNode)
          .where('round_votes.outcome', '=', 'fail')
          .where('round_votes.set_aside', 'is', null)
          .where('round_votes.late', '=', 0),
      ),
    );
  }
  const rounds = await query.execute();
  const votes = new Map<string, Vote[]>();
  for (const chunk of chunked(
    rounds.map((r) => r.id),
    IN_LIST_CHUNK,
  )) {
    const rows = await db
      .selectFrom('round_votes')
      .selectAll()
      .where('round_id', 'in', chunk)
      .orderBy('node_name')
      .orderBy('node_id')
      .execute();
    for (const row of rows) {
      const list = votes.get(row.round_id) ?? [];
      list.push(rowToVote(row));
      votes.set(row.round_id, list);
    }
  }
  return rounds.map((row) => rowToRound(row, votes.get(row.id) ?? []));
}

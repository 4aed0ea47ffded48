import type { Transaction } from 'kysely';
import type { IngestBatch } from '../types.ts';
import { insertDeliveries } from './deliveries.ts';
import { insertEvidence } from './evidence.ts';
import { insertFollowUps } from './follow-ups.ts';
import { writeGrouping } from './cause-groups.ts';
import { writeIncidentChanges } from './incidents.ts';
import { existingMonitorIds } from './monitors.ts';
import type { ResultInserter } from './results.ts';
import { insertLateVotes, insertRounds } from './rounds.ts';
import { resultToRow } from './rows.ts';
import { stateToRow } from './state-rows.ts';
import type { Database, SqlDialectName } from './schema.ts';
import type { StateUpserter } from './states.ts';

/** How many rows of a batch were dropped because their monitor no longer exists. */
export interface IngestOutcome {
  skipped: number;
}

/**
 * Writes one ingest batch in the caller's transaction (the store's leader write). Rows of monitors deleted in the meantime
 * are skipped (the foreign keys would otherwise reject the whole batch); the existence check
 * runs inside the same transaction, so on SQLite's single writer nothing can slip between.
 * PostgreSQL runs other transactions beside this one, so there the monitors found are locked
 * (FOR KEY SHARE) until commit: a delete made meanwhile waits for the batch, then removes its
 * rows with the monitor, instead of failing the batch on a foreign key.
 */
export async function commitBatch(
  trx: Transaction<Database>,
  dialect: SqlDialectName,
  batch: IngestBatch,
  insertResults: ResultInserter,
  upsertStates: StateUpserter,
): Promise<IngestOutcome> {
  const live = await existingMonitorIds(trx, batchMonitorIds(batch), {
    lockUntilCommit: dialect === 'postgres',
  });
  const keep = <T extends { monitorId: string | null }>(rows: readonly T[]): T[] =>
    rows.filter((row) => row.monitorId !== null && live.has(row.monitorId));
  const results = keep(batch.results);
  const incidents = keep(batch.incidentsOpened);
  const states = keep(batch.states);
  // A cause group's pages name no monitor: they stay whoever was deleted.
  const alerts = batch.alerts.filter((a) => a.monitorId === null || live.has(a.monitorId));
  const rounds = keep(batch.rounds ?? []);

  await insertResults(trx, results.map(resultToRow));
  await insertEvidence(trx, results);
  await writeIncidentChanges(
    trx,
    incidents,
    batch.incidentsUpdated ?? [],
    batch.incidentsResolved,
    batch.incidentsRetracted ?? [],
    batch.incidentsLinked ?? [],
  );
  await insertRounds(trx, rounds);
  // After the rounds: a late vote may belong to a round of this same batch.
  await insertLateVotes(trx, batch.lateVotes ?? []);
  await upsertStates(trx, states.map(stateToRow));
  await insertDeliveries(trx, alerts);
  // After the openings: a closing of this same batch follows them.
  await insertFollowUps(trx, keep(batch.followUps ?? []));
  // Last: it releases the openings stored above and writes the groups' own pages.
  if (batch.grouping !== undefined) await writeGrouping(trx, batch.grouping);

  const kept = results.length + incidents.length + states.length + alerts.length + rounds.length;
  const total =
    batch.results.length +
    batch.incidentsOpened.length +
    batch.states.length +
    batch.alerts.length +
    (batch.rounds?.length ?? 0);
  return { skipped: total - kept };
}

function batchMonitorIds(batch: IngestBatch): Set<string> {
  const ids = new Set<string>();
  const lists = [
    batch.results,
    batch.incidentsOpened,
    batch.states,
    batch.alerts,
    batch.rounds,
    batch.followUps,
  ];
  for (const rows of lists) {
    for (const row of rows ?? []) if (row.monitorId !== null) ids.add(row.monitorId);
  }
  return ids;
}

import type { Kysely, Transaction } from 'kysely';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Incident } from '../../domain/incident.ts';
import type { EvidenceEntry } from '../types.ts';
import type { Database } from './schema.ts';

/**
 * Evidence rows kept per monitor, newest first: 20 screenshots of at most 200 KB bound a
 * browser monitor's evidence to 4 MB however long it fails.
 */
export const MAX_EVIDENCE_PER_MONITOR = 20;
/**
 * How long before an incident's start a failure still belongs to it: the failures that opened
 * it came first, while the nodes were still confirming.
 */
export const EVIDENCE_LEAD_MS = 15 * 60_000;

/** Stores the evidence of a batch's results, then drops each monitor's oldest beyond the cap. */
export async function insertEvidence(
  trx: Transaction<Database>,
  results: readonly RecordedResult[],
): Promise<void> {
  const rows = results.flatMap((r) =>
    r.evidence === undefined
      ? []
      : [
          {
            result_id: r.id,
            monitor_id: r.monitorId,
            node_id: r.nodeId,
            checked_at: r.checkedAt,
            screenshot:
              r.evidence.screenshotJpeg === undefined
                ? null
                : Buffer.from(r.evidence.screenshotJpeg, 'base64'),
            console_errors: JSON.stringify(r.evidence.consoleErrors),
          },
        ],
  );
  if (rows.length === 0) return;
  await trx
    .insertInto('check_evidence')
    .values(rows)
    .onConflict((oc) => oc.column('result_id').doNothing())
    .execute();
  for (const monitorId of new Set(rows.map((row) => row.monitor_id))) {
    await trx
      .deleteFrom('check_evidence')
      .where('monitor_id', '=', monitorId)
      .where('result_id', 'not in', (eb) =>
        eb
          .selectFrom('check_evidence')
          .select('result_id')
          .where('monitor_id', '=', monitorId)
          .orderBy('checked_at', 'desc')
          .limit(MAX_EVIDENCE_PER_MONITOR),
      )
      .execute();
  }
}

/** The span of time whose failures belong to an incident. */
function windowOf(incident: Incident, now: number): { from: number; to: number } {
  return { from: incident.startedAt - EVIDENCE_LEAD_MS, to: incident.endedAt ?? now };
}

/** An incident's evidence, newest first. */
export async function incidentEvidence(
  db: Kysely<Database>,
  incident: Incident,
  now: number,
): Promise<EvidenceEntry[]> {
  const { from, to } = windowOf(incident, now);
  const rows = await db
    .selectFrom('check_evidence')
    .select(['result_id', 'node_id', 'checked_at', 'console_errors', 'screenshot'])
    .where('monitor_id', '=', incident.monitorId)
    .where('checked_at', '>=', from)
    .where('checked_at', '<=', to)
    .orderBy('checked_at', 'desc')
    .execute();
  return rows.map((row) => ({
    resultId: row.result_id,
    nodeId: row.node_id,
    checkedAt: Number(row.checked_at),
    consoleErrors: JSON.parse(row.console_errors) as string[],
    screenshotBytes: row.screenshot?.length ?? 0,
  }));
}

/** One screenshot of an incident's evidence, or undefined when it has no such image. */
export async function evidenceScreenshot(
  db: Kysely<Database>,
  incident: Incident,
  resultId: string,
  now: number,
): Promise<Uint8Array | undefined> {
  const { from, to } = windowOf(incident, now);
  const row = await db
    .selectFrom('check_evidence')
    .select('screenshot')
    .where('result_id', '=', resultId)
    .where('monitor_id', '=', incident.monitorId)
    .where('checked_at', '>=', from)
    .where('checked_at', '<=', to)
    .executeTakeFirst();
  return row?.screenshot ?? undefined;
}

/**
 * Deletes evidence older than `cutoff` that belongs to no incident of its monitor: evidence of
 * an incident stays as long as the incident does, and goes with it (or with its monitor).
 */
export async function pruneEvidence(db: Kysely<Database>, cutoff: number): Promise<number> {
  const result = await db
    .deleteFrom('check_evidence as e')
    .where('e.checked_at', '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('incidents as i')
            .select('i.id')
            .whereRef('i.monitor_id', '=', 'e.monitor_id')
            .where((inner) =>
              inner('i.started_at', '<=', inner('e.checked_at', '+', EVIDENCE_LEAD_MS)),
            )
            .where((inner) =>
              inner.or([
                inner('i.ended_at', 'is', null),
                inner('i.ended_at', '>=', inner.ref('e.checked_at')),
              ]),
            ),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import type { BatchCommittedBody } from './messages.ts';
import { emptyBatchCommitted } from './messages.ts';

/**
 * The committed batches of one coalescing window as one body, so one notification set per
 * window announces them all (3,000 results a second are not 3,000 notifications). Lists keep
 * their order; a monitor or incident named twice is named once.
 */
export function mergeBatchBodies(bodies: readonly BatchCommittedBody[]): BatchCommittedBody {
  const merged = emptyBatchCommitted();
  const states = new Set<string>();
  const opened = new Set<string>();
  for (const body of bodies) {
    append(merged.results, body.results);
    for (const id of body.states) states.add(id);
    for (const id of body.incidentsOpened) opened.add(id);
    append(merged.incidentsUpdated, body.incidentsUpdated);
    append(merged.incidentsResolved, body.incidentsResolved);
    append(merged.incidentsRetracted, body.incidentsRetracted);
    append(merged.suppressed, body.suppressed);
  }
  merged.states = [...states];
  merged.incidentsOpened = [...opened];
  return merged;
}

/** Whether a body announces nothing (an ingest step that wrote nothing a live view shows). */
export function batchBodyEmpty(body: BatchCommittedBody): boolean {
  return (
    body.results.length +
      body.states.length +
      body.incidentsOpened.length +
      body.incidentsUpdated.length +
      body.incidentsResolved.length +
      body.incidentsRetracted.length +
      body.suppressed.length ===
    0
  );
}

/** `push(...items)` without its argument limit (a batch can hold tens of thousands). */
function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

import type { IncidentVerdict } from '../domain/consensus.ts';
import type { IncidentCause } from '../domain/incident.ts';
import type { OpenIncidentRef } from '../domain/monitor-state.ts';

// Whether a monitor's confirmed incident pages on its own or is caused by a monitor it depends
// on (pure). A child whose parent is confirmed down is linked to the parent's incident and pages
// nobody; a child confirmed while a parent is still being judged waits, bounded, for that
// verdict; a child still down when every parent has recovered pages on its own.

/** A monitor this one depends on, as the coordinator sees it at this step. */
export interface UpstreamView {
  monitorId: string;
  name: string;
  /** Its open, confirmed incident; null when it has none. */
  incident: { id: string; verdict: IncidentVerdict; regions: readonly string[] } | null;
  /** Some node reports it failing, or a round is judging it, but no incident is confirmed. */
  suspect: boolean;
  /**
   * How long a child's page may wait for this monitor's verdict once the child is confirmed:
   * long enough for its failure streak and one confirmation round (see the runner).
   */
  holdMs: number;
}

/** What a child's incident does now. */
export type DependencyDecision =
  /** A parent is confirmed down where the child fails: linked to it, the child pages nobody. */
  | { action: 'link'; cause: IncidentCause }
  /** A parent looks failing but is not judged yet: the child's page waits for its verdict. */
  | { action: 'hold' }
  /** No parent explains it: the child's incident stands on its own and pages. */
  | { action: 'page' };

export interface DependencyInput {
  upstream: readonly UpstreamView[];
  /** The child's incident as it stands. */
  verdict: IncidentVerdict;
  regions: readonly string[];
  /** Since when its page has waited; null when it has not. */
  heldSince: number | null;
  now: number;
  /** The incident is about to close: waiting is no longer an option. */
  closing: boolean;
}

/**
 * A parent's confirmed incident explains the child's when the parent is down everywhere, or
 * when both are regional and every region the child fails in is one the parent fails in; a
 * regional parent does not explain a child that is down everywhere.
 */
export function explains(
  parent: NonNullable<UpstreamView['incident']>,
  verdict: IncidentVerdict,
  regions: readonly string[],
): boolean {
  if (parent.verdict === 'down') return true;
  return verdict === 'regional' && regions.every((region) => parent.regions.includes(region));
}

/**
 * The decision for a child's incident. The first explaining parent (in the monitor's order)
 * is the cause. A hold lasts while some failing parent is within its hold time, so a page is
 * delayed at most by the longest hold and never dropped.
 */
export function judgeDependency(input: DependencyInput): DependencyDecision {
  for (const parent of input.upstream) {
    if (parent.incident !== null && explains(parent.incident, input.verdict, input.regions)) {
      return {
        action: 'link',
        cause: {
          incidentId: parent.incident.id,
          monitorId: parent.monitorId,
          monitorName: parent.name,
        },
      };
    }
  }
  if (input.closing) return { action: 'page' };
  const since = input.heldSince ?? input.now;
  const waiting = input.upstream.some(
    (parent) => parent.incident === null && parent.suspect && input.now - since < parent.holdMs,
  );
  return waiting ? { action: 'hold' } : { action: 'page' };
}

/** How a new incident starts: linked, holding its page, or paging at once. */
export function dependencyAtOpening(
  upstream: readonly UpstreamView[] | undefined,
  verdict: IncidentVerdict,
  regions: readonly string[],
  now: number,
): Pick<OpenIncidentRef, 'causedBy' | 'heldSince'> {
  if (upstream === undefined || upstream.length === 0) return {};
  const decision = judgeDependency({
    upstream,
    verdict,
    regions,
    heldSince: null,
    now,
    closing: false,
  });
  if (decision.action === 'link') return { causedBy: decision.cause, heldSince: null };
  if (decision.action === 'hold') return { causedBy: null, heldSince: now };
  return {};
}

import type { ResolvedRoute } from './routing.ts';

// Pure: which re-notifications and escalation pages are due for an open incident. Inputs are
// the incident, its routes and the time; the caller stores what this returns, keyed so that a
// page is stored at most once however often (or after however long a pause) it asks.

/** What the timing needs to know about an open incident. */
export interface PageableIncident {
  id: string;
  /** When the outage was confirmed and first paged: the clock repeats and escalations start from. */
  openedAt: number;
  acknowledged: boolean;
}

/** One page that is due now. */
export interface TimedPage {
  route: ResolvedRoute;
  kind: 'repeat' | 'escalation';
  /** 0 for an escalation; n for the n-th repeat since the route's first page. */
  sequence: number;
  /** Unique per incident and route: `escalate` or `repeat-<n>`. */
  key: string;
  /** When it became due. */
  dueAt: number;
}

/**
 * The pages due at `now`: an escalation step once the incident has been open and
 * unacknowledged for `escalateAfterMs`; for a route with `repeatEveryMs`, the latest repeat
 * whose time has come (an earlier one missed while the coordinator was down is not sent late:
 * one page says "still down"). Acknowledgement stops both.
 */
export function dueTimedPages(
  incident: PageableIncident,
  routes: readonly ResolvedRoute[],
  now: number,
): TimedPage[] {
  if (incident.acknowledged) return [];
  const pages: TimedPage[] = [];
  for (const route of routes) {
    const firstPageAt = incident.openedAt + (route.escalateAfterMs ?? 0);
    if (now < firstPageAt) continue;
    if (route.escalateAfterMs !== null) {
      pages.push({ route, kind: 'escalation', sequence: 0, key: 'escalate', dueAt: firstPageAt });
    }
    if (route.repeatEveryMs !== null) {
      const sequence = Math.floor((now - firstPageAt) / route.repeatEveryMs);
      if (sequence >= 1) {
        pages.push({
          route,
          kind: 'repeat',
          sequence,
          key: `repeat-${sequence}`,
          dueAt: firstPageAt + sequence * route.repeatEveryMs,
        });
      }
    }
  }
  return pages;
}

/** The next time a page of this incident becomes due after `now`; null when none ever will. */
export function nextTimedPageAt(
  incident: PageableIncident,
  routes: readonly ResolvedRoute[],
  now: number,
): number | null {
  if (incident.acknowledged) return null;
  let next: number | null = null;
  const consider = (at: number) => {
    if (at > now && (next === null || at < next)) next = at;
  };
  for (const route of routes) {
    const firstPageAt = incident.openedAt + (route.escalateAfterMs ?? 0);
    if (route.escalateAfterMs !== null) consider(firstPageAt);
    if (route.repeatEveryMs !== null) {
      const passed = Math.max(0, Math.floor((now - firstPageAt) / route.repeatEveryMs));
      consider(firstPageAt + (passed + 1) * route.repeatEveryMs);
    }
  }
  return next;
}

/**
 * A degraded episode: a monitor up by quorum while a quorum of its nodes sees it degraded
 * (slow, a certificate close to expiry…). It has a start and an end like an incident, and its
 * alerts (`degraded`, `degraded-ended`) are keyed by its id, so a restart never pages twice and
 * a provider resolves the right alert. Only monitors that do not count degraded as down have
 * episodes: for the others a degraded result is a failure and opens incidents.
 */
export interface DegradedEpisode {
  /** `dgr_…`; part of both alerts' idempotency and provider dedup keys. */
  id: string;
  /** The first degraded result of the streak behind it (coordinator clock). */
  startedAt: number;
  /** When the quorum confirmed it. */
  openedAt: number;
  /**
   * True when its start was held back (a maintenance window): its end is then recorded
   * suppressed too, so no provider hears of an end to something it never heard start.
   */
  suppressed: boolean;
  /**
   * Route key → the id of the `degraded` delivery stored for it. The end goes only to these
   * routes, each following its start (sent after it, with its provider reference, so an issue
   * or thread opened for the start is the one closed), as an incident's closing does.
   */
  openings: Readonly<Record<string, string>>;
}

/**
 * Why an episode ended: `up` — a quorum sees the monitor plainly up again (paged);
 * `down` — an incident opened and its own alerts take over (no `degraded-ended` page);
 * `degraded-is-down` — the monitor now counts degraded as down (paged, so providers resolve).
 */
export type DegradedEndReason = 'up' | 'down' | 'degraded-is-down';

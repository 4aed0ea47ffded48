/**
 * Pure scheduling math. A job with interval I runs on the fixed grid `k·I + phase` in absolute
 * epoch milliseconds. Because the grid is absolute, a late or slow run never moves later runs:
 * there is no cumulative drift, and grid points a run overran are skipped rather than queued.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 2 ** 32;

/**
 * A stable unsigned 32-bit hash of an id: FNV-1a over its UTF-16 code units, then murmur3's
 * fmix32 finaliser. FNV-1a alone mixes the last character poorly, and ids such as `mon-1`,
 * `mon-2` differ only there; the finaliser spreads such near-identical ids over the whole range.
 */
export function hashId(id: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The job's phase offset in [0, intervalMs), an integer for an integer interval. It is the same
 * fraction of the interval for a given id, so many jobs created at once still spread evenly.
 */
export function phaseOffset(id: string, intervalMs: number): number {
  return Math.floor((hashId(id) / TWO_POW_32) * intervalMs);
}

/**
 * The first grid point `k·intervalMs + phaseMs` strictly after `now`, so the result lies in
 * (now, now + intervalMs]. Strictly after (not ≥) so that re-planning at a grid point never
 * plans the same point twice.
 */
export function nextRunAfter(now: number, intervalMs: number, phaseMs: number): number {
  const steps = Math.floor((now - phaseMs) / intervalMs) + 1;
  let next = steps * intervalMs + phaseMs;
  // Guards against floating-point rounding for non-integer inputs; exact for integer ms.
  if (next <= now) next += intervalMs;
  else if (next - intervalMs > now) next -= intervalMs;
  return next;
}

/** The last grid point at or before `now` (the slot a run starting now belongs to). */
export function lastRunAtOrBefore(now: number, intervalMs: number, phaseMs: number): number {
  return nextRunAfter(now, intervalMs, phaseMs) - intervalMs;
}

/** How many grid steps separate two points of the same grid (`later` ≥ `earlier`). */
export function gridStepsBetween(earlier: number, later: number, intervalMs: number): number {
  return Math.max(0, Math.round((later - earlier) / intervalMs));
}

/**
 * Uptime from confirmed downtime (pure). A monitor's uptime over a window is
 * 1 − (time in confirmed `down` incidents ÷ time observed), where time observed is the window
 * from the monitor's creation on, less the time it was paused. One node's failures that no
 * quorum confirmed never lower it: they are that node's figures, shown beside it.
 */

/** A span of time [from, to) in epoch ms; empty when `to <= from`. */
export interface Interval {
  from: number;
  to: number;
}

export interface UptimeInput {
  /** The window asked about, usually [now − length, now). */
  window: Interval;
  /** The monitor's creation: nothing before it was observed. */
  observedFrom: number;
  /** Times the monitor was paused (an ongoing pause ends at the window's end or later). */
  paused: readonly Interval[];
  /** Times in confirmed downtime; may overlap each other, the pauses, or the window's edges. */
  down: readonly Interval[];
}

export interface UptimeFigure {
  /** Time observed in the window: after creation, not paused. */
  observedMs: number;
  /** Observed time in downtime (overlaps counted once). */
  downMs: number;
  /** 1 − downMs ÷ observedMs; null when nothing was observed. */
  uptime: number | null;
}

/** The uptime figure of one window. */
export function computeUptime(input: UptimeInput): UptimeFigure {
  const start = Math.max(input.window.from, input.observedFrom);
  const observed = subtract({ from: start, to: input.window.to }, input.paused);
  const observedMs = totalLength(observed);
  const downMs = totalLength(intersect(mergeIntervals(input.down), observed));
  return { observedMs, downMs, uptime: observedMs === 0 ? null : 1 - downMs / observedMs };
}

/** One incident as uptime sees it (retracted incidents are left out before this). */
export interface IncidentSpan {
  startedAt: number;
  /** When it became `down` (from the start when it opened `down`); null while only regional. */
  downSince: number | null;
  /** Null while open: it counts until the window's end. */
  endedAt: number | null;
  /** Every region it named while regional. */
  regions: readonly string[];
}

/** One region's figure: its time in a `down` incident or a `regional` one naming it. */
export interface RegionFigure extends UptimeFigure {
  region: string;
}

export interface MonitorUptime extends UptimeFigure {
  /** Regions some regional incident named in the window, sorted; other regions have the global figure. */
  regions: RegionFigure[];
}

/**
 * A monitor's uptime over a window from its incidents: global downtime is the time incidents
 * were `down` (an escalated regional incident from its escalation on); a region's downtime adds
 * the time regional incidents named it.
 */
export function monitorUptime(
  window: Interval,
  observedFrom: number,
  paused: readonly Interval[],
  incidents: readonly IncidentSpan[],
): MonitorUptime {
  if (incidents.length === 0 && paused.length === 0) {
    // The common case, thousands of times per status call: no sorting or merging needed.
    const observedMs = Math.max(0, window.to - Math.max(window.from, observedFrom));
    return { observedMs, downMs: 0, uptime: observedMs === 0 ? null : 1, regions: [] };
  }
  const endOf = (i: IncidentSpan) => i.endedAt ?? window.to;
  const down = incidents.flatMap((i) =>
    i.downSince === null ? [] : [{ from: Math.max(i.startedAt, i.downSince), to: endOf(i) }],
  );
  const base = { window, observedFrom, paused };
  const named = [...new Set(incidents.flatMap((i) => i.regions))].sort();
  const regions = named.map((region) => {
    const regional = incidents
      .filter((i) => i.regions.includes(region))
      .map((i) => ({ from: i.startedAt, to: i.downSince ?? endOf(i) }));
    return { region, ...computeUptime({ ...base, down: [...down, ...regional] }) };
  });
  return { ...computeUptime({ ...base, down }), regions };
}

/** Sorted, non-overlapping, non-empty intervals covering the same time as `intervals`. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).toSorted((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && next.from <= last.to) last.to = Math.max(last.to, next.to);
    else merged.push({ from: next.from, to: next.to });
  }
  return merged;
}

/** `base` less every cut, as sorted disjoint intervals. */
export function subtract(base: Interval, cuts: readonly Interval[]): Interval[] {
  const left: Interval[] = [];
  let from = base.from;
  for (const cut of mergeIntervals(cuts)) {
    if (cut.to <= from) continue;
    if (cut.from >= base.to) break;
    if (cut.from > from) left.push({ from, to: cut.from });
    from = Math.max(from, cut.to);
  }
  if (from < base.to) left.push({ from, to: base.to });
  return left;
}

/** The overlap of two sorted disjoint interval lists. */
function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === undefined || y === undefined) break;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (to > from) out.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return out;
}

function totalLength(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, i) => sum + (i.to - i.from), 0);
}

/**
 * What a monitor's uptime is computed from, as stored: its creation, what a maintenance
 * window's scope matches it by, and its non-retracted incidents and pauses (an ongoing pause
 * has `to: null`). A record may hold more than a window needs (the dashboard keeps one per
 * monitor between calls): `recordUptime` counts only what the store would read for the window.
 */
export interface UptimeRecord {
  createdAt: number;
  group: string | null;
  tags: readonly string[];
  incidents: readonly (IncidentSpan & { id: string })[];
  pauses: readonly { from: number; to: number | null }[];
}

/**
 * Uptime per window [now − window, now) from a monitor's record and its time in maintenance
 * over the longest window (counted like a pause). Incidents and pauses that do not overlap
 * the longest window are left out exactly as the store's read leaves them out, so a record
 * read earlier and kept gives the figures a fresh read would.
 */
const NONE: readonly never[] = [];

export function recordUptime(
  record: UptimeRecord | undefined,
  maintenance: readonly Interval[],
  windowsMs: readonly number[],
  now: number,
): MonitorUptime[] {
  // An unknown monitor was never observed: its uptime is null.
  const observedFrom = record?.createdAt ?? Infinity;
  const earliest = now - Math.max(0, ...windowsMs);
  const incidents = (record?.incidents ?? NONE).filter(
    (i) => i.startedAt < now && (i.endedAt === null || i.endedAt > earliest),
  );
  const pauses = (record?.pauses ?? NONE).flatMap((p) =>
    p.from < now && (p.to === null || p.to > earliest) ? [{ from: p.from, to: p.to ?? now }] : [],
  );
  const paused = maintenance.length === 0 ? pauses : [...pauses, ...maintenance];
  return windowsMs.map((w) =>
    monitorUptime({ from: now - w, to: now }, observedFrom, paused, incidents),
  );
}

import { DAY_MS, HOUR_MS, bucketStartOf } from './bucket-figures.ts';
import { HOURS_PER_DAY } from './day-buckets.ts';

/** Whole UTC days [from, to) (epoch ms, day-aligned): the day buckets' counts summed. */
export interface DaySegment {
  from: number;
  to: number;
}

/** Hours [fromHour, toHour) of the UTC day starting at `day`, from that day's running totals. */
export interface DayPart {
  day: number;
  fromHour: number;
  toHour: number;
}

/** What to read for a set of windows sharing one end, and how each window adds it up. */
export interface UptimePlan {
  /** Disjoint and ascending, so each whole day is read once whatever the windows. */
  segments: DaySegment[];
  /** Distinct; each is one day row's running totals. */
  parts: DayPart[];
  /** Per window, the indexes of the segments and parts whose sums make it up. */
  windows: { segments: number[]; parts: number[] }[];
}

/** The first hour boundary at or after `now - windowMs` (windows count whole hours). */
export function windowStart(now: number, windowMs: number): number {
  return bucketStartOf(now - windowMs + HOUR_MS - 1, HOUR_MS);
}

/** The end of the hour holding `now`. */
export function windowEnd(now: number): number {
  return bucketStartOf(now, HOUR_MS) + HOUR_MS;
}

/**
 * Splits each hour-aligned window [start, end) into the whole UTC days it covers and, at
 * either edge, the hours it covers of a partly covered day. Whole days come from the day
 * buckets' totals and the edge hours from the same rows' running totals, so a 30-day window
 * reads about 31 day rows per monitor, where summing hour buckets would read 720, and the
 * figures still equal that sum of hour buckets.
 */
export function planUptime(starts: readonly number[], end: number): UptimePlan {
  const shapes = starts.map((start) => windowShape(start, end));
  const segments = disjointSegments(shapes.flatMap((s) => (s.days === null ? [] : [s.days])));
  const parts = new Map<string, { index: number; part: DayPart }>();
  const windows = shapes.map((shape) => ({
    segments: segments.flatMap((segment, i) =>
      shape.days !== null && segment.from >= shape.days.from && segment.to <= shape.days.to
        ? [i]
        : [],
    ),
    parts: shape.parts.map((part) => {
      const key = `${part.day}:${part.fromHour}:${part.toHour}`;
      const known = parts.get(key) ?? { index: parts.size, part };
      parts.set(key, known);
      return known.index;
    }),
  }));
  return { segments, parts: [...parts.values()].map((p) => p.part), windows };
}

interface WindowShape {
  days: DaySegment | null;
  parts: DayPart[];
}

function windowShape(start: number, end: number): WindowShape {
  if (start >= end) return { days: null, parts: [] };
  const startDay = bucketStartOf(start, DAY_MS);
  const endDay = bucketStartOf(end, DAY_MS);
  const startHour = (start - startDay) / HOUR_MS;
  const endHour = (end - endDay) / HOUR_MS;
  if (startDay === endDay) {
    return { days: null, parts: [{ day: startDay, fromHour: startHour, toHour: endHour }] };
  }
  const parts: DayPart[] = [];
  let from = startDay;
  if (startHour > 0) {
    parts.push({ day: startDay, fromHour: startHour, toHour: HOURS_PER_DAY });
    from += DAY_MS;
  }
  if (endHour > 0) parts.push({ day: endDay, fromHour: 0, toHour: endHour });
  return { days: from < endDay ? { from, to: endDay } : null, parts };
}

/** Cuts overlapping ranges at every boundary, keeping the pieces some range covers. */
function disjointSegments(ranges: readonly DaySegment[]): DaySegment[] {
  const bounds = [...new Set(ranges.flatMap((r) => [r.from, r.to]))].sort((a, b) => a - b);
  const segments: DaySegment[] = [];
  for (let i = 1; i < bounds.length; i++) {
    const from = bounds[i - 1] ?? 0;
    const to = bounds[i] ?? 0;
    if (ranges.some((r) => r.from <= from && to <= r.to)) segments.push({ from, to });
  }
  return segments;
}

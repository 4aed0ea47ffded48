import type { DayBar } from './overview-details.ts';
import type { OverviewItem, OverviewPage } from './overview-service.ts';

// The overview's answer carries 90 day bars per row; as objects they were ~5 KiB a row
// (238 KiB for the dashboard's 50-row page), nearly all of it repeating the same three keys
// for days that were simply up or had no data. A strip spells those days as one character
// and lists figures only for the rest, which are few.

/** A day up all its observed time: uptime 1, no downtime. */
export const DAY_UP = 'u';
/** A day with nothing observed (before creation, paused, in maintenance): uptime null, no downtime. */
export const DAY_NONE = 'n';
/** Any other day: its uptime and downtime are the next entries of `uptime` and `downtimeMs`. */
export const DAY_FIGURES = 'd';

/** Consecutive UTC days' bars, compact (see the `bars` field's description in the schema). */
export interface DayStrip {
  /** The first day, `YYYY-MM-DD`; null when there are no days. */
  from: string | null;
  /** One character per day, oldest first: `DAY_UP`, `DAY_NONE` or `DAY_FIGURES`. */
  days: string;
  /** For each `DAY_FIGURES` day in order: its uptime (null: nothing observed). */
  uptime: (number | null)[];
  /** For each `DAY_FIGURES` day in order: its confirmed downtime. */
  downtimeMs: number[];
}

/** The overview's row and page as answered: `bars` as a strip. */
export type CompactOverviewItem = Omit<OverviewItem, 'bars'> & { bars: DayStrip };
export type CompactOverviewPage = Omit<OverviewPage, 'items'> & { items: CompactOverviewItem[] };

function dayCode(bar: DayBar): string {
  if (Object.is(bar.downtimeMs, 0) && bar.uptime === 1) return DAY_UP;
  if (Object.is(bar.downtimeMs, 0) && bar.uptime === null) return DAY_NONE;
  return DAY_FIGURES;
}

/** Bars of consecutive UTC days (as `dailyBars` makes them, oldest first) as a strip. */
export function encodeDayBars(bars: readonly DayBar[]): DayStrip {
  const strip: DayStrip = { from: bars[0]?.day ?? null, days: '', uptime: [], downtimeMs: [] };
  const codes: string[] = [];
  for (const bar of bars) {
    const code = dayCode(bar);
    codes.push(code);
    if (code !== DAY_FIGURES) continue;
    strip.uptime.push(bar.uptime);
    strip.downtimeMs.push(bar.downtimeMs);
  }
  strip.days = codes.join('');
  return strip;
}

export function compactOverviewPage(page: OverviewPage): CompactOverviewPage {
  return {
    ...page,
    items: page.items.map((item) => ({ ...item, bars: encodeDayBars(item.bars) })),
  };
}

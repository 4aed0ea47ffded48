import type { DayBar, DayStrip } from './overview-types.ts';

const DAY_MS = 86_400_000;

/** An answer this client cannot read: it names what is wrong rather than drawing wrong bars. */
export class DayStripError extends Error {
  override readonly name = 'DayStripError';
}

/**
 * The overview's compact bars (one character per day, figures only for `d` days) as one bar
 * per day, oldest first: what `dailyBars` computed on the server before it was encoded.
 */
export function decodeDayStrip(strip: DayStrip): DayBar[] {
  if (strip.days === '') return [];
  if (strip.from === null) throw new DayStripError('day strip has days but no first day');
  const first = Date.parse(`${strip.from}T00:00:00Z`);
  if (Number.isNaN(first)) throw new DayStripError(`day strip starts on a bad day: ${strip.from}`);
  const bars: DayBar[] = [];
  let figures = 0;
  for (let i = 0; i < strip.days.length; i++) {
    const day = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
    const code = strip.days[i];
    if (code === 'u') bars.push({ day, uptime: 1, downtimeMs: 0 });
    else if (code === 'n') bars.push({ day, uptime: null, downtimeMs: 0 });
    else if (code === 'd') {
      const uptime = strip.uptime[figures];
      const downtimeMs = strip.downtimeMs[figures];
      if (uptime === undefined || downtimeMs === undefined)
        throw new DayStripError(`day strip lacks the figures of ${day}`);
      bars.push({ day, uptime, downtimeMs });
      figures++;
    } else throw new DayStripError(`day strip has an unknown day kind: ${String(code)}`);
  }
  return bars;
}

/** An inclusive range of HTTP status codes; a single code has `from === to`. */
export interface StatusRange {
  from: number;
  to: number;
}

/** The status codes a check accepts when the monitor does not say. */
export const DEFAULT_EXPECTED_STATUS: readonly string[] = ['200-399'];

const ITEM = /^(\d{3})(?:\s*-\s*(\d{3}))?$/;

/**
 * Parses one or more items such as `200`, `200-299` or `"200-299, 301"` into ranges.
 * Returns the reason as text when an item is malformed.
 */
export function parseStatusRanges(items: readonly (string | number)[]): StatusRange[] | string {
  const ranges: StatusRange[] = [];
  for (const item of items) {
    const parts = String(item)
      .split(',')
      .map((part) => part.trim());
    for (const part of parts) {
      const range = parseItem(part);
      if (typeof range === 'string') return range;
      ranges.push(range);
    }
  }
  if (ranges.length === 0) return 'must list at least one status code or range';
  return ranges;
}

function parseItem(text: string): StatusRange | string {
  const match = ITEM.exec(text);
  if (!match) return `"${text}" is not a status code (100-599) or range such as 200-299`;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  for (const code of [from, to]) {
    if (code < 100 || code > 599) return `${code} is not an HTTP status code (100-599)`;
  }
  if (to < from) return `range "${text}" ends before it starts`;
  return { from, to };
}

/** Canonical text of one range: `301` or `200-299`. */
export function formatStatusRange(range: StatusRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/** True when `code` falls in any of the ranges. */
export function statusMatches(code: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((range) => code >= range.from && code <= range.to);
}

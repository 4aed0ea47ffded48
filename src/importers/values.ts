// Small readers for untyped source values (provider settings, YAML maps), shared by importers.

/** A record's value as trimmed text, or undefined when absent, empty or not text/number. */
export function text(record: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A record's value as a whole number (numbers or digits), or undefined. */
export function whole(record: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = record[key];
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** A record's value as a boolean (true/false or 1/0), or undefined. */
export function flag(record: Readonly<Record<string, unknown>>, key: string): boolean | undefined {
  const value = record[key];
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  return undefined;
}

/** A comma-separated list (`a@x, b@y`) as items, empty ones dropped. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The object without its undefined values (exact optional properties forbid them). */
export function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** `host:port`, with brackets around an IPv6 address. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The origin of a URL (`https://events.pagerduty.com/v2/enqueue` → `https://events.pagerduty.com`). */
export function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** A JSON literal for an assertion from source text: numbers, booleans and null as such, else a string. */
export function jsonLiteral(value: string): string {
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed) || ['true', 'false', 'null'].includes(trimmed))
    return trimmed;
  return JSON.stringify(value);
}

/** Decimal units as disks are sold (GB = 10⁹ bytes) and binary ones (GiB = 2³⁰). */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Parses `500MB`, `20GB`, `1.5 TiB`, `4096B` (case-insensitive) to bytes; undefined when malformed. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match as unknown as [string, string, string];
  const size = UNITS[unit.toLowerCase()];
  if (size === undefined) return undefined;
  const bytes = Math.floor(Number(amount) * size);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

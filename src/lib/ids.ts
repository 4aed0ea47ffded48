import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A short random id with a readable prefix, e.g. `mon_7k2q9xw3hz4m` (60 bits of randomness). */
export function newId(prefix: string): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}

/**
 * A result id: a UUIDv7 (RFC 9562) — unique across nodes so replays can be deduplicated, and
 * time-ordered so the unique index on result ids grows at its end instead of at random pages
 * (a million-result ingest measured 15,900 → 22,200 results/s).
 */
export function newResultId(now = Date.now()): string {
  const bytes = randomBytes(16);
  // 48-bit big-endian Unix milliseconds.
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

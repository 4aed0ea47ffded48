import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A short random id with a readable prefix, e.g. `mon_7k2q9xw3hz4m` (60 bits of randomness). */
export function newId(prefix: string): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}

/** A result id: a UUID, unique across nodes so replays can be deduplicated. */
export function newResultId(): string {
  return randomUUID();
}

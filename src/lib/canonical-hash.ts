import { createHash } from 'node:crypto';

/**
 * A short, stable hash of a JSON value: keys sorted at every depth, SHA-256, the first 8 hex
 * digits. Equal values hash alike whatever order their keys were written in.
 */
export function shortHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedKeys(value)))
    .digest('hex')
    .slice(0, 8);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)]));
}

// Values as a file writes them: secrets as placeholders, `${` escaped, durations readable.
import { formatDuration, parseDuration } from '../lib/duration.ts';
import { canonical, isPlainObject as isObject } from './canonical.ts';

/** Leaves whose shown value differs from the stored one become placeholders. */
export function maskSecrets(
  stored: Record<string, unknown>,
  shown: Record<string, unknown>,
  prefix: string,
  secrets: string[],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(stored).map(([key, value]) => {
      const other = shown[key];
      const name = `${prefix}_${key}`;
      if (isObject(value))
        return [key, maskSecrets(value, isObject(other) ? other : {}, name, secrets)];
      // A list of objects (browser steps) masks only the secret leaf of the item that holds
      // it (`…_STEPS_1_VALUE`), not the whole list.
      if (Array.isArray(value) && Array.isArray(other) && value.length === other.length)
        return [key, maskItems(value, other, name, secrets)];
      if (canonical(value) === canonical(other)) return [key, escapeReferences(value)];
      const variable = `CROSSCHECK_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
      secrets.push(variable);
      return [key, `\${${variable}}`];
    }),
  );
}

function maskItems(
  stored: readonly unknown[],
  shown: readonly unknown[],
  prefix: string,
  secrets: string[],
): unknown[] {
  return stored.map((item, index) => {
    const other = shown[index];
    if (isObject(item) && isObject(other))
      return maskSecrets(item, other, `${prefix}_${index}`, secrets);
    if (canonical(item) === canonical(other)) return escapeReferences(item);
    const variable = `CROSSCHECK_SECRET_${`${prefix}_${index}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
    secrets.push(variable);
    return `\${${variable}}`;
  });
}

/** Stored text containing `${` is written as `$${`, so apply does not read it as a variable. */
export function escapeReferences(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('${', '$${');
  if (Array.isArray(value)) return value.map(escapeReferences);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeReferences(v)]));
  return value;
}

/** A duration as people write it (`2h`) when that reads back exactly, else the number of ms. */
export function readableDuration(ms: number): string | number {
  const text = formatDuration(ms);
  return parseDuration(text) === ms ? text : ms;
}

/** The value secrets are replaced with when settings are displayed. */
export const REDACTED = '***';

/**
 * How a setting is hidden when shown: `secret` entirely (`***`); `secret-url` keeps the
 * scheme and host (`https://hooks.slack.com/***`), for URLs that are themselves credentials;
 * `secret-values` keeps an object's keys and hides every value (headers).
 */
export type SecretKind = 'secret' | 'secret-url' | 'secret-values';

/** Shortest secret value worth masking: shorter ones would mask ordinary words in answers. */
const MIN_MASKED_LENGTH = 4;

/**
 * Every secret value in a target's settings, for masking answers and errors: whole strings,
 * each value of a `secret-values` object, and for a `secret-url` its path, query and
 * credentials (the parts that carry the token).
 */
export function secretValues(
  secrets: Readonly<Partial<Record<string, SecretKind>>>,
  settings: unknown,
): string[] {
  if (settings === null || typeof settings !== 'object') return [];
  const record = settings as Record<string, unknown>;
  const values: string[] = [];
  for (const [key, kind] of Object.entries(secrets)) {
    const value = record[key];
    if (typeof value === 'string') values.push(...valuesOf(value, kind));
    else if (value !== null && typeof value === 'object') {
      for (const inner of Object.values(value)) if (typeof inner === 'string') values.push(inner);
    }
  }
  return values.filter((value) => value.length >= MIN_MASKED_LENGTH);
}

function valuesOf(value: string, kind: SecretKind | undefined): string[] {
  if (kind !== 'secret-url') return [value];
  const url = URL.parse(value);
  if (url === null) return [value];
  const parts = [value, url.pathname, url.search.slice(1), url.username, url.password];
  for (const segment of url.pathname.split('/')) parts.push(segment);
  for (const query of url.searchParams.values()) parts.push(query);
  // Path segments like "api" or "v1" are not secret and too common to mask.
  return parts.filter((part) => part.length >= 8 || part === value);
}

/** Replaces every occurrence of a secret value (longest first) with `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const ordered = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_MASKED_LENGTH)
    .sort((a, b) => b.length - a.length);
  let masked = text;
  for (const secret of ordered) masked = masked.split(secret).join(REDACTED);
  return masked;
}

/**
 * A URL safe to show: scheme, host and path, with credentials and every query value hidden.
 * `secret-url` hides the path too, since there the path is the token (Slack, Discord).
 */
export function maskUrl(url: string, kind: 'path-shown' | 'path-hidden' = 'path-shown'): string {
  const parsed = URL.parse(url);
  if (parsed === null) return REDACTED;
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = REDACTED;
    parsed.password = '';
  }
  for (const key of new Set(parsed.searchParams.keys())) parsed.searchParams.set(key, REDACTED);
  if (kind === 'path-hidden') return `${parsed.origin}/${REDACTED}`;
  return parsed.toString();
}

/**
 * Settings for display, logs and API answers: every secret field masked by its kind, and
 * query values of any other URL setting hidden too (services often put tokens there).
 */
export function redactSettings(
  secrets: Readonly<Partial<Record<string, SecretKind>>>,
  settings: unknown,
): Record<string, unknown> {
  if (settings === null || typeof settings !== 'object') return {};
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    shown[key] = redactValue(value, secrets[key]);
  }
  return shown;
}

function redactValue(value: unknown, kind: SecretKind | undefined): unknown {
  if (kind === 'secret') return REDACTED;
  if (kind === 'secret-url')
    return typeof value === 'string' ? maskUrl(value, 'path-hidden') : REDACTED;
  if (kind === 'secret-values') {
    if (value === null || typeof value !== 'object') return REDACTED;
    return Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED]));
  }
  if (typeof value === 'string' && /^https?:\/\//i.test(value)) return maskUrl(value);
  return value;
}

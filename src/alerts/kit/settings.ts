import { z } from 'zod';

// Settings fields every channel uses the same way, so every channel words its errors alike.

/** An http:// or https:// URL with no `user:password@` (credentials belong in their own field). */
export function httpUrl(what = 'URL') {
  return z
    .url({ protocol: /^https?$/, error: `must be an http:// or https:// ${what}` })
    .refine(hasNoCredentials, { error: 'must not contain a user or password' });
}

/**
 * The provider's API address, defaulting to its public one. Overridable for self-hosted
 * servers, regional endpoints (EU data centres) and proxies.
 */
export function apiBaseUrl(defaultUrl: string) {
  return httpUrl().default(defaultUrl);
}

/** A required secret (token, key, password); never empty. */
export function secretText(minLength = 1) {
  return z.string().min(minLength, {
    error: minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`,
  });
}

/** A per-target time limit for one request. */
export const timeoutSetting = z.int().min(100).max(60_000).optional();

// zod runs refinements even after the URL check failed, so an unparsable URL passes here and
// is reported once, by that check.
function hasNoCredentials(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed === null || (parsed.username === '' && parsed.password === '');
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

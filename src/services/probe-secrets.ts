import { redactCheckOptions } from '../checks/registry.ts';
import type { CheckType } from '../checks/types.ts';

/** What a secret becomes in a probe's output (the same mask the monitor's options show). */
export const SECRET_MASK = '***';

/** Shorter strings are not hunted in messages: masking "ab" everywhere would garble the text. */
const MIN_SECRET_LENGTH = 4;

/**
 * The secret strings of a stored check: every option value the check type's own redaction masks
 * (found by comparing the options with their redacted form, so a new type's secrets need no
 * code here), the credential part of a value like `Bearer abc` on its own, and the password of
 * a target URL. A probe's output is searched for these, because a node's error message may echo
 * what it sent.
 */
export function checkSecrets(
  type: CheckType,
  target: string,
  options: Record<string, unknown>,
): string[] {
  const found = new Set<string>();
  collectMasked(options, redactCheckOptions(type, options), found);
  const password = urlPassword(target);
  if (password !== null) found.add(password);
  for (const secret of [...found]) for (const part of secret.split(/\s+/).slice(1)) found.add(part);
  return [...found]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH && secret !== SECRET_MASK)
    .sort((a, b) => b.length - a.length);
}

/** Every string leaf of `original` whose redacted counterpart differs. */
function collectMasked(original: unknown, redacted: unknown, into: Set<string>): void {
  if (typeof original === 'string') {
    if (redacted !== original) into.add(original);
    return;
  }
  if (Array.isArray(original)) {
    const other: unknown[] = Array.isArray(redacted) ? redacted : [];
    original.forEach((item, i) => collectMasked(item, other[i], into));
    return;
  }
  if (isRecord(original)) {
    const other = isRecord(redacted) ? redacted : {};
    for (const [key, value] of Object.entries(original)) collectMasked(value, other[key], into);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function urlPassword(target: string): string | null {
  if (!URL.canParse(target)) return null;
  const password = new URL(target).password;
  return password === '' ? null : decodeURIComponent(password);
}

/** The text with every secret replaced by the mask (longest first, so no part of one survives). */
export function maskText(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.replaceAll(secret, SECRET_MASK);
  return masked;
}

/** How expected values are compared with the answers: at least one, or every one. */
export type MatchMode = 'all' | 'any';

/** Outcome of comparing expected values with the answers. */
export interface ExpectationCheck {
  ok: boolean;
  /** Expected values not among the answers. */
  missing: string[];
}

/**
 * Puts a value in a comparable form: whitespace collapsed; for every type but TXT, lower-case,
 * no quotes and no trailing dots on names; AAAA in canonical compressed form.
 */
export function canonicalValue(recordType: string, value: string): string {
  const collapsed = value.trim().replace(/\s+/g, ' ');
  if (recordType === 'TXT') return collapsed.replace(/^"(.*)"$/s, '$1');
  const plain = collapsed.replaceAll('"', '').toLowerCase();
  if (recordType === 'AAAA') return canonicalIpv6(plain);
  return plain
    .split(' ')
    .map((token) => (token.length > 1 ? token.replace(/\.$/, '') : token))
    .join(' ');
}

/** Compares expected values with the answers under the match mode. No expectations → ok. */
export function checkExpectations(
  recordType: string,
  expected: readonly string[],
  answers: readonly string[],
  mode: MatchMode,
): ExpectationCheck {
  const got = new Set(answers.map((answer) => canonicalValue(recordType, answer)));
  const missing = expected.filter((value) => !got.has(canonicalValue(recordType, value)));
  if (expected.length === 0) return { ok: true, missing };
  const ok = mode === 'all' ? missing.length === 0 : missing.length < expected.length;
  return { ok, missing };
}

function canonicalIpv6(text: string): string {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return text;
  }
}

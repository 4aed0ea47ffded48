import type { PatternEvaluator, PatternOutcome } from '../pattern-evaluator.ts';
import { literalOfRegex } from '../regex-literal.ts';

/** What the body must (or, inverted, must not) contain: a plain keyword or a regex. */
export interface KeywordRule {
  keyword?: string | undefined;
  regex?: string | undefined;
  caseInsensitive: boolean;
  invert: boolean;
}

/** Compiles a user's pattern the same way at validation and at run time. Throws SyntaxError. */
export function compileKeywordRegex(pattern: string, caseInsensitive: boolean): RegExp {
  return new RegExp(pattern, caseInsensitive ? 'i' : '');
}

/**
 * Whether the body contains the rule's keyword or matches its regex. A keyword, or a regex that
 * is plain text, is searched inline (linear in the body); any other regex runs in a pattern
 * worker under a deadline, because a backtracking regex can take exponential time.
 */
export function findInBody(
  body: string,
  rule: KeywordRule,
  patterns: PatternEvaluator,
  signal: AbortSignal,
): Promise<PatternOutcome<boolean>> {
  const flags = rule.caseInsensitive ? 'i' : '';
  const needle = rule.regex === undefined ? rule.keyword : literalOfRegex(rule.regex, flags);
  if (needle !== undefined)
    return Promise.resolve({ status: 'done', value: containsText(body, needle, rule) });
  const source = rule.regex ?? '';
  return patterns.evaluate({ kind: 'regex', source, flags, text: body }, signal);
}

function containsText(body: string, needle: string, rule: KeywordRule): boolean {
  return rule.caseInsensitive
    ? body.toLowerCase().includes(needle.toLowerCase())
    : body.includes(needle);
}

/**
 * Judges whether the keyword or pattern was found; returns the failure message (quoting the
 * keyword or pattern), or undefined when the body passes. `truncated` says only a prefix was
 * searched.
 */
export function keywordFailure(
  found: boolean,
  rule: KeywordRule,
  truncated: boolean,
): string | undefined {
  if (found === !rule.invert) return undefined;
  const scope = truncated
    ? 'the first part of the body (body too large to search entirely)'
    : 'the body';
  return rule.invert
    ? `${describeRule(rule)} found in ${scope} (must be absent)`
    : `${describeRule(rule)} not found in ${scope}`;
}

/** The keyword or pattern as messages quote it. */
export function describeRule(rule: KeywordRule): string {
  return rule.regex !== undefined
    ? `pattern ${quote(`/${rule.regex}/`)}`
    : `keyword ${quote(rule.keyword ?? '')}`;
}

const QUOTE_LIMIT = 80;

/** Quotes text for a message, shortening very long keywords. */
function quote(text: string): string {
  const short = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  return JSON.stringify(short);
}

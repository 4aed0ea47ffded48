import type { PatternEvaluator, PatternOutcome } from '../pattern-evaluator.ts';
import { MAX_PATTERN_LENGTH } from '../pattern-evaluator.ts';
import { literalOfRegex } from '../regex-literal.ts';
import { decodeEscapes } from './escapes.ts';

/** What the server must send: a substring, or a regular expression written as `/body/flags`. */
export type BannerPattern = { kind: 'text'; text: string } | { kind: 'regex'; regex: RegExp };

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
// `g` and `y` make `test` stateful, which would make repeated matching on a growing buffer lie.
const ALLOWED_FLAGS = /^[imsu]*$/;

/** Parses `--expect` text into a pattern, or returns the reason it is not a valid one. */
export function parseBannerPattern(source: string): BannerPattern | { error: string } {
  const literal = REGEX_LITERAL.exec(source);
  if (!literal) return { kind: 'text', text: decodeEscapes(source) };
  const [, body, flags] = literal as unknown as [string, string, string];
  if (body.length > MAX_PATTERN_LENGTH)
    return { error: `regex longer than ${MAX_PATTERN_LENGTH} characters` };
  if (!ALLOWED_FLAGS.test(flags))
    return { error: `regex flags "${flags}" not supported (use i, m, s, u)` };
  try {
    return { kind: 'regex', regex: new RegExp(body, flags) };
  } catch (error) {
    return { error: `invalid regex: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** True when the received text satisfies the pattern (inline: for tests and trusted patterns). */
export function bannerMatches(pattern: BannerPattern, received: string): boolean {
  return pattern.kind === 'text' ? received.includes(pattern.text) : pattern.regex.test(received);
}

/** Tests received text against a banner pattern; settles once the pattern has an answer. */
export type BannerMatcher = (received: string) => Promise<PatternOutcome<boolean>>;

/**
 * The matcher of a user's pattern: text (or a regex that is only text) is searched inline, in
 * linear time; any other regex runs in a pattern worker under a deadline.
 */
export function bannerMatcher(
  pattern: BannerPattern,
  patterns: PatternEvaluator,
  signal: AbortSignal,
): BannerMatcher {
  if (pattern.kind === 'text') return inlineMatcher(pattern.text);
  const { source, flags } = pattern.regex;
  const literal = literalOfRegex(source, flags);
  if (literal !== undefined) return inlineMatcher(literal);
  return (received) => patterns.evaluate({ kind: 'regex', source, flags, text: received }, signal);
}

function inlineMatcher(text: string): BannerMatcher {
  return (received) => Promise.resolve({ status: 'done', value: received.includes(text) });
}

/** The pattern as users wrote it, for messages. */
export function describePattern(pattern: BannerPattern): string {
  return pattern.kind === 'text' ? `"${printable(pattern.text)}"` : String(pattern.regex);
}

/** Makes received bytes safe to show in one line: escapes control characters and truncates. */
export function printable(text: string, maxLength = 120): string {
  let out = '';
  for (const char of text) {
    out += escapeChar(char);
    if (out.length >= maxLength) return `${out.slice(0, maxLength)}…`;
  }
  return out;
}

function escapeChar(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  if (char === '\\') return '\\\\';
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return char;
}

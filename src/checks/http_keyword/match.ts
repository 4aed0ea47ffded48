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
 * Checks a body against the rule; returns the failure message (quoting the keyword or
 * pattern), or undefined when the body passes. `truncated` says only a prefix was searched.
 */
export function keywordFailure(
  body: string,
  rule: KeywordRule,
  truncated: boolean,
): string | undefined {
  const found = contains(body, rule);
  if (found === !rule.invert) return undefined;
  const what =
    rule.regex !== undefined
      ? `pattern ${quote(`/${rule.regex}/`)}`
      : `keyword ${quote(rule.keyword ?? '')}`;
  const scope = truncated
    ? 'the first part of the body (body too large to search entirely)'
    : 'the body';
  return rule.invert
    ? `${what} found in ${scope} (must be absent)`
    : `${what} not found in ${scope}`;
}

function contains(body: string, rule: KeywordRule): boolean {
  if (rule.regex !== undefined)
    return compileKeywordRegex(rule.regex, rule.caseInsensitive).test(body);
  const keyword = rule.keyword ?? '';
  return rule.caseInsensitive
    ? body.toLowerCase().includes(keyword.toLowerCase())
    : body.includes(keyword);
}

const QUOTE_LIMIT = 80;

/** Quotes text for a message, shortening very long keywords. */
function quote(text: string): string {
  const short = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  return JSON.stringify(short);
}

import { isDeepStrictEqual } from 'node:util';
import { JSONPath } from 'jsonpath-plus';

/** Comparison operators an assertion may use. */
export const JSON_OPERATORS = ['==', '!=', '<=', '>=', '<', '>', 'contains'] as const;
export type JsonOperator = (typeof JSON_OPERATORS)[number];

/** A JSON value as written on the right of an assertion. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One parsed assertion: `$.checks.db.latency < 200`. */
export interface JsonAssertion {
  /** The text as the user wrote it (trimmed); messages quote it. */
  source: string;
  path: string;
  operator: JsonOperator;
  expected: JsonValue;
}

export type ParseResult = { ok: true; assertion: JsonAssertion } | { ok: false; reason: string };

const OPERATOR_AT_START = /^(==|!=|<=|>=|<|>|contains(?=\s|$))/;
const ORDERING = new Set<JsonOperator>(['<', '>', '<=', '>=']);

/** Parses `PATH OPERATOR VALUE`; the reason says what is wrong when the text is malformed. */
export function parseJsonAssertion(text: string): ParseResult {
  const source = text.trim();
  const path = scanPath(source);
  if (typeof path !== 'string') return path;
  const rest = source.slice(path.length).trimStart();
  const operatorMatch = OPERATOR_AT_START.exec(rest);
  if (!operatorMatch) {
    const hint = rest.startsWith('=') ? ' (use == to compare)' : '';
    return fail(`expected an operator (${JSON_OPERATORS.join(', ')}) after ${path}${hint}`);
  }
  const operator = operatorMatch[0] as JsonOperator;
  const literal = rest.slice(operator.length).trim();
  if (literal === '') return fail(`missing the value to compare ${path} with`);
  const expected = parseLiteral(literal);
  if (expected === undefined)
    return fail(
      `${literal} is not a JSON value: quote strings ("ok"), or use a number, true, false or null`,
    );
  if (ORDERING.has(operator) && typeof expected !== 'number')
    return fail(`${operator} needs a number to compare with, not ${literal}`);
  return { ok: true, assertion: { source, path, operator, expected } };
}

/** Canonical text of an assertion; parsing it again gives the same path, operator and value. */
export function formatJsonAssertion(
  assertion: Pick<JsonAssertion, 'path' | 'operator' | 'expected'>,
): string {
  return `${assertion.path} ${assertion.operator} ${JSON.stringify(assertion.expected)}`;
}

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/**
 * Reads the JSONPath at the start of `text`: it ends at whitespace or an operator character
 * outside brackets and quotes. Filter and script expressions (`?(…)`, `(…)`) are refused,
 * because evaluating them would run code from the monitor's configuration.
 */
function scanPath(text: string): string | ParseResult {
  if (!text.startsWith('$')) return fail('must start with a JSONPath such as $.status');
  let depth = 0;
  let quote: string | undefined;
  let index = 0;
  for (; index < text.length; index++) {
    const char = text.charAt(index);
    if (quote !== undefined) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '[') depth++;
    else if (char === ']') {
      if (depth === 0) return fail(`unbalanced ] in path ${text.slice(0, index + 1)}`);
      depth--;
    } else if (char === '(' || char === ')')
      return fail('filter and script expressions such as ?(...) are not supported');
    else if (depth === 0 && /[\s=!<>]/.test(char)) break;
  }
  const path = text.slice(0, index);
  if (quote !== undefined) return fail(`unterminated quote in path ${path}`);
  if (depth !== 0) return fail(`unclosed [ in path ${path}`);
  return path;
}

/** JSON, plus 'single-quoted' strings for convenience; undefined when neither. */
function parseLiteral(text: string): JsonValue | undefined {
  if (
    text.length >= 2 &&
    text.startsWith("'") &&
    text.endsWith("'") &&
    !text.slice(1, -1).includes("'")
  )
    return text.slice(1, -1);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * Evaluates an assertion against a parsed JSON document; returns why it fails (naming the
 * assertion and the actual value), or undefined when it holds. A path matching several
 * values is compared as the list of them.
 */
export function evaluateJsonAssertion(
  assertion: JsonAssertion,
  document: unknown,
): string | undefined {
  let matches: unknown[];
  try {
    matches = JSONPath({
      path: assertion.path,
      json: document as object,
      eval: false,
      wrap: true,
    }) as unknown[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `${assertion.source}: cannot evaluate ${assertion.path} (${reason})`;
  }
  if (!Array.isArray(matches) || matches.length === 0)
    return `${assertion.source}: ${assertion.path} not found`;
  const actual = matches.length === 1 ? matches[0] : matches;
  const problem = compare(actual, assertion.operator, assertion.expected);
  return problem === undefined ? undefined : `${assertion.source} failed: ${problem}`;
}

/** Why `actual OPERATOR expected` does not hold, or undefined when it does. */
function compare(actual: unknown, operator: JsonOperator, expected: JsonValue): string | undefined {
  const shown = `actual ${render(actual)}`;
  switch (operator) {
    case '==':
      return isDeepStrictEqual(actual, expected) ? undefined : shown;
    case '!=':
      return isDeepStrictEqual(actual, expected) ? shown : undefined;
    case 'contains':
      return containsProblem(actual, expected, shown);
    default:
      return orderingProblem(actual, operator, expected as number, shown);
  }
}

function containsProblem(actual: unknown, expected: JsonValue, shown: string): string | undefined {
  if (typeof actual === 'string') {
    if (typeof expected !== 'string') return `${shown} is a string; contains needs a string value`;
    return actual.includes(expected) ? undefined : shown;
  }
  if (Array.isArray(actual))
    return actual.some((item) => isDeepStrictEqual(item, expected)) ? undefined : shown;
  if (typeof actual === 'object' && actual !== null) {
    if (typeof expected !== 'string') return `${shown} is an object; contains needs a key name`;
    return Object.hasOwn(actual, expected) ? undefined : `${shown} has no key ${render(expected)}`;
  }
  return `${shown} is not a string, list or object`;
}

function orderingProblem(
  actual: unknown,
  operator: JsonOperator,
  expected: number,
  shown: string,
): string | undefined {
  if (typeof actual !== 'number') return `${shown} is not a number`;
  const holds =
    operator === '<'
      ? actual < expected
      : operator === '>'
        ? actual > expected
        : operator === '<='
          ? actual <= expected
          : actual >= expected;
  return holds ? undefined : shown;
}

const RENDER_LIMIT = 100;

/** A value as JSON, shortened for a message. */
function render(value: unknown): string {
  // Values come from JSON.parse, so JSON.stringify always has text for them.
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > RENDER_LIMIT ? `${text.slice(0, RENDER_LIMIT)}…` : text;
}

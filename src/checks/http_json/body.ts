import type { HttpExchange } from '../http/index.ts';
import { evaluateJsonAssertion, parseJsonAssertion } from './assertion.ts';
import type { JsonAssertion } from './assertion.ts';

/**
 * Parses the body as JSON and evaluates every assertion; returns the first failure (and how
 * many more failed), or undefined when all hold.
 */
export function jsonBodyFailure(
  exchange: HttpExchange,
  assertions: readonly JsonAssertion[],
): string | undefined {
  return jsonFailure(exchange.body.toString('utf8'), exchange.bodyTruncated, assertions);
}

/**
 * The same over the body's text and the assertions as written (a pattern worker's task: the
 * texts were validated when the monitor was saved).
 */
export function jsonTextFailure(
  body: string,
  truncated: boolean,
  texts: readonly string[],
): string | undefined {
  return jsonFailure(body, truncated, texts.map(toAssertion));
}

/** Options were validated by the schema, so a parse failure here is a bug, not a down target. */
export function toAssertion(text: string): JsonAssertion {
  const parsed = parseJsonAssertion(text);
  if (!parsed.ok)
    throw new Error(`http_json assertion was not validated: ${text}: ${parsed.reason}`);
  return parsed.assertion;
}

function jsonFailure(
  text: string,
  truncated: boolean,
  assertions: readonly JsonAssertion[],
): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    if (truncated) return 'body is not JSON (too large: only the first part was read)';
    const reason = error instanceof Error ? error.message : String(error);
    return `body is not JSON (${reason})`;
  }
  const failures = assertions
    .map((assertion) => evaluateJsonAssertion(assertion, document))
    .filter((failure) => failure !== undefined);
  const [first] = failures;
  if (first === undefined) return undefined;
  return failures.length === 1 ? first : `${first} (and ${failures.length - 1} more failed)`;
}

/**
 * A path naming one value by its keys and indexes (`$.a.b[0]['c d']`): its cost does not grow
 * with the document, so it is evaluated inline. Wildcards, recursive descent, slices, unions
 * and every other form may walk the whole body, so they run in a pattern worker.
 */
const DIRECT_PATH = /^\$(?:\.[A-Za-z_$][\w$-]*|\[\d{1,9}\]|\['[^'\\]*'\]|\["[^"\\]*"\])*$/;

/** True when every assertion's path is a direct one (see DIRECT_PATH). */
export function allPathsDirect(assertions: readonly JsonAssertion[]): boolean {
  return assertions.every((assertion) => DIRECT_PATH.test(assertion.path));
}

import type { HttpExchange } from '../http/index.ts';
import { evaluateJsonAssertion } from './assertion.ts';
import type { JsonAssertion } from './assertion.ts';

/**
 * Parses the body as JSON and evaluates every assertion; returns the first failure (and how
 * many more failed), or undefined when all hold.
 */
export function jsonBodyFailure(
  exchange: HttpExchange,
  assertions: readonly JsonAssertion[],
): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(exchange.body.toString('utf8'));
  } catch (error) {
    if (exchange.bodyTruncated) return 'body is not JSON (too large: only the first part was read)';
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

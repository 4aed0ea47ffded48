import type { ErrorKind } from '../../domain/check-result.ts';

/** Chromium's network error names (`net::ERR_…`) mapped to our error kinds. */
const NET_ERRORS: readonly [RegExp, ErrorKind, string][] = [
  [/ERR_CONNECTION_REFUSED/, 'refused', 'connection refused'],
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/, 'dns', 'DNS lookup failed'],
  [/ERR_(CERT_[A-Z_]+|SSL_[A-Z_]+|BAD_SSL_CLIENT_AUTH_CERT)/, 'tls', 'TLS error'],
  [/ERR_(TIMED_OUT|CONNECTION_TIMED_OUT)/, 'timeout', 'timed out'],
  // Chromium never connects to some ports (9, 25, 6000…): the monitor needs another target.
  [/ERR_UNSAFE_PORT/, 'network', 'Chromium does not connect to this port'],
];

/** A failed step as the result reports it. */
export interface StepProblem {
  kind: ErrorKind;
  message: string;
}

/**
 * What a Playwright error says about the target: a navigation's `net::ERR_…` maps to its
 * network kind, a wait that ran out to `timeout`, anything else a step hit (several elements
 * for one selector, an element that is not editable) to `assertion`.
 */
export function classifyStepError(error: unknown): StepProblem {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = (text.split('\n')[0] ?? text).trim();
  const net = /net::(ERR_[A-Z_]+)/.exec(text);
  if (net !== null) {
    const code = net[1] ?? 'ERR_FAILED';
    for (const [pattern, kind, what] of NET_ERRORS)
      if (pattern.test(code)) return { kind, message: `${what} (${code})` };
    return { kind: 'network', message: `network error (${code})` };
  }
  if (error instanceof Error && error.name === 'TimeoutError')
    return { kind: 'timeout', message: timeoutText(firstLine) };
  if (/strict mode violation/.test(text))
    return { kind: 'assertion', message: 'the selector matches more than one element' };
  return { kind: 'assertion', message: shorten(stripPrefix(firstLine)) };
}

/** `locator.click: Timeout 500ms exceeded.` → `timed out after 500 ms`. */
function timeoutText(line: string): string {
  const ms = /Timeout (\d+)ms exceeded/.exec(line)?.[1];
  return ms === undefined ? 'timed out' : `timed out after ${ms} ms`;
}

/** Playwright prefixes messages with the API call (`page.goto: `); the step already says it. */
function stripPrefix(line: string): string {
  return line.replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, '');
}

export function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

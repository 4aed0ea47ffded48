import type { ErrorCode, FieldIssue } from '../lib/errors.ts';
import { AppError, ERROR_CODES } from '../lib/errors.ts';

const KNOWN_CODES = new Set<ErrorCode>(ERROR_CODES);

/** A small JSON client for the daemon's API; errors come back as AppError with the server's code. */
export class ApiClient {
  readonly baseUrl: string;
  /** The bearer token sent with every request (the data dir's token file). */
  readonly token: string | undefined;

  constructor(baseUrl: string, token?: string) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /**
   * Sends one request and returns the parsed JSON body (undefined for 204). `timeoutMs` is for
   * requests that wait on purpose (a probe waits for every node); 30 s otherwise.
   */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new AppError('UNAVAILABLE', `cannot reach the crosscheck daemon at ${this.baseUrl}`, {
        cause: error,
      });
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok) return parsed as T;
    throw toAppError(response.status, parsed);
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function toAppError(status: number, body: unknown): AppError {
  const error = (
    body as { error?: { code?: string; message?: string; issues?: FieldIssue[] } } | undefined
  )?.error;
  const code = KNOWN_CODES.has(error?.code as ErrorCode) ? (error?.code as ErrorCode) : 'INTERNAL';
  return new AppError(code, error?.message ?? `daemon answered HTTP ${status}`, {
    issues: error?.issues ?? [],
  });
}

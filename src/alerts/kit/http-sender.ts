import type * as Undici from 'undici';
import packageJson from '../../../package.json' with { type: 'json' };
import { classifyNetworkError } from '../../checks/outcome.ts';
import { ChannelError } from '../channel-error.ts';
import { maskSecrets, maskUrl } from './secrets.ts';

const USER_AGENT = `crosscheck/${packageJson.version}`;
/** Most of an answer kept: enough for any provider's JSON reply, never a runaway body. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** How much of a refusing provider's answer goes into the error. */
const ERROR_SNIPPET_CHARS = 300;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request to a provider. Exactly one of `json`, `form` or `body` carries a payload. */
export interface HttpRequest {
  method?: HttpMethod;
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (Twilio, Vonage, Mailgun…). */
  form?: Readonly<Record<string, string>> | URLSearchParams;
  /** A raw body with its own `Content-Type` header. */
  body?: string;
  /** HTTP Basic credentials (RFC 7617). */
  basicAuth?: { username: string; password: string };
  /** Answers besides 2xx the channel handles itself (e.g. 404 when closing a gone issue). */
  accept?: (status: number) => boolean;
}

/** A provider's answer: status, headers (lower-case names) and at most 64 KiB of body. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json(): unknown;
}

/** Sends requests to one provider with the kit's rules; channels hold no HTTP error logic. */
export interface HttpSender {
  send(req: HttpRequest): Promise<HttpAnswer>;
}

export interface HttpSenderOptions {
  /** The provider's name for error messages ("Slack answered 404: …"). */
  provider: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Values masked in every error message and answer excerpt. */
  secrets: readonly string[];
}

/**
 * The shared HTTP sender (undici). Rules: a 2xx is accepted; a redirect is final (following
 * it could carry credentials to a host the user never configured); 408, 425, 429 and 5xx are
 * retryable, with the provider's `Retry-After`; any other 4xx is final; network failures and
 * timeouts are retryable. Error messages name the provider and carry a masked excerpt of its
 * answer, never a secret.
 */
// Loaded on the first send: the CLI and agents import the channel registry (for help and
// settings schemas) far more often than they send, and undici is a sizeable module graph.
let undici: Promise<typeof Undici> | undefined;
function loadUndici(): Promise<typeof Undici> {
  undici ??= import('undici');
  return undici;
}

export function createHttpSender(options: HttpSenderOptions): HttpSender {
  const mask = (text: string) => maskSecrets(text, options.secrets);
  return {
    async send(req) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = AbortSignal.any([options.signal, timeout]);
      const { request } = await loadUndici();
      let answer: HttpAnswer;
      try {
        const { body, contentType } = encodeBody(req);
        const response = await request(req.url, {
          method: req.method ?? 'POST',
          headers: requestHeaders(req, contentType),
          body: body ?? null,
          signal,
        });
        answer = {
          status: response.statusCode,
          headers: flattenHeaders(response.headers),
          text: await readBounded(response.body),
          json() {
            return parseJson(this.text);
          },
        };
      } catch (error) {
        throw requestFailure(error, options, { stop: options.signal, timeout }, req.url);
      }
      if (isSuccess(answer.status) || req.accept?.(answer.status) === true) return answer;
      throw refusal(answer, options.provider, mask);
    },
  };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function encodeBody(req: HttpRequest): { body: string | undefined; contentType?: string } {
  if (req.json !== undefined) {
    return { body: JSON.stringify(req.json), contentType: 'application/json' };
  }
  if (req.form !== undefined) {
    const params =
      req.form instanceof URLSearchParams ? req.form : new URLSearchParams({ ...req.form });
    return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: req.body };
}

function requestHeaders(req: HttpRequest, contentType: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: 'application/json, */*',
  };
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (req.basicAuth !== undefined) {
    const { username, password } = req.basicAuth;
    headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  for (const [name, value] of Object.entries(req.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return headers;
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readBounded(
  body: AsyncIterable<Buffer> & { destroy?: () => void },
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = MAX_ANSWER_BYTES - size;
    chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.byteLength, room);
    if (size >= MAX_ANSWER_BYTES) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A non-accepted answer as a `ChannelError`: retryable or final by status. */
export function refusal(
  answer: HttpAnswer,
  provider: string,
  mask: (text: string) => string,
): ChannelError {
  const { status } = answer;
  if (status >= 300 && status < 400) {
    const location = answer.headers['location'];
    const target = location === undefined ? '' : ` to ${locationShown(location)}`;
    return new ChannelError(
      mask(
        `${provider} answered ${status} redirect${target}; redirects are not followed, check the URL`,
      ),
      { retryable: false, status },
    );
  }
  const retryable = status >= 500 || status === 408 || status === 425 || status === 429;
  const retryAfterMs = parseRetryAfter(answer.headers['retry-after'] ?? null);
  const snippet = answer.text.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
  return new ChannelError(mask(`${provider} answered ${status}${snippet ? `: ${snippet}` : ''}`), {
    retryable,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** A redirect's target as origin and path: its query string often carries a token. */
function locationShown(location: string): string {
  const parsed = URL.parse(location, 'http://relative.invalid');
  if (parsed === null) return '(unreadable location)';
  return parsed.origin === 'http://relative.invalid'
    ? parsed.pathname
    : `${parsed.origin}${parsed.pathname}`;
}

function requestFailure(
  error: unknown,
  options: HttpSenderOptions,
  aborts: { stop: AbortSignal; timeout: AbortSignal },
  url: string,
): ChannelError {
  if (error instanceof ChannelError) return error;
  if (aborts.stop.aborted) {
    return new ChannelError('send aborted: dispatcher is stopping', {
      retryable: true,
      cause: error,
    });
  }
  if (aborts.timeout.aborted) {
    return new ChannelError(`${options.provider} timed out after ${options.timeoutMs}ms`, {
      retryable: true,
    });
  }
  const root = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const { message } = classifyNetworkError(root);
  const where = maskSecrets(maskUrl(url), options.secrets);
  return new ChannelError(`${options.provider} request to ${where} failed: ${message}`, {
    retryable: true,
  });
}

/** `Retry-After` as delay seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

import { classifyNetworkError } from '../../../checks/outcome.ts';
import { ChannelError } from '../../types.ts';

/** How much of a refusing receiver's body goes into the error, to help debugging. */
const SNIPPET_BYTES = 200;

/** Resolves for a 2xx answer; otherwise throws a `ChannelError` saying whether to retry. */
export async function acceptResponse(response: Response): Promise<void> {
  const { status } = response;
  if (status >= 200 && status < 300) {
    await response.body?.cancel();
    return;
  }
  if (status >= 300 && status < 400) {
    await response.body?.cancel();
    // Following a redirect could send the signed alert to a host the user never configured.
    const target = describeLocation(response.headers.get('location'));
    throw new ChannelError(
      `webhook answered ${status} redirect${target}; redirects are not followed, update the URL`,
      { retryable: false, status },
    );
  }
  const snippet = await readSnippet(response);
  const retryable = status >= 500 || status === 408 || status === 429;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  throw new ChannelError(`webhook answered ${status}${snippet ? `: ${snippet}` : ''}`, {
    retryable,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** Turns a rejected `fetch` (or body read) into a retryable `ChannelError`. */
export function requestFailure(
  error: unknown,
  aborts: { stop: AbortSignal; timeout: AbortSignal; timeoutMs: number },
): ChannelError {
  if (error instanceof ChannelError) return error;
  if (aborts.stop.aborted) {
    return new ChannelError('send aborted: dispatcher is stopping', {
      retryable: true,
      cause: error,
    });
  }
  if (aborts.timeout.aborted) {
    return new ChannelError(`webhook timed out after ${aborts.timeoutMs}ms`, {
      retryable: true,
      cause: error,
    });
  }
  // undici reports socket errors as `TypeError: fetch failed` with the errno error as `cause`.
  const root = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const { message } = classifyNetworkError(root);
  return new ChannelError(`webhook request failed: ${message}`, { retryable: true, cause: error });
}

function describeLocation(location: string | null): string {
  if (location === null) return '';
  try {
    const parsed = new URL(location, 'http://relative.invalid');
    // Query strings often carry tokens, so only origin and path are shown.
    return parsed.origin === 'http://relative.invalid'
      ? ` to ${parsed.pathname}`
      : ` to ${parsed.origin}${parsed.pathname}`;
  } catch {
    return '';
  }
}

async function readSnippet(response: Response): Promise<string> {
  // Node's fetch body carries bytes, but its type says `any` chunks.
  const body = response.body as ReadableStream<Uint8Array> | null;
  const reader = body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body that breaks off still leaves the status as the useful part of the error.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8', 0, Math.min(size, SNIPPET_BYTES));
  return text.replace(/\s+/g, ' ').trim();
}

/** `Retry-After` as delay seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

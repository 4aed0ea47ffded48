import type { IncomingMessage } from 'node:http';

/** How much of a body the HTTP-family checks keep for keyword and JSON assertions. */
export const BODY_KEEP_LIMIT = 1024 * 1024;

/** The kept head of a body plus how big the whole body was. */
export interface BodyRead {
  /** The first `keepBytes` bytes. */
  kept: Buffer;
  /** Every byte received, kept or not. */
  totalBytes: number;
  truncated: boolean;
}

/**
 * Reads a response body, keeping at most `keepBytes` and draining (only counting) the
 * rest, so a huge body cannot exhaust memory. Never rejects: a broken stream is returned.
 */
export async function readCappedBody(
  response: IncomingMessage,
  keepBytes: number,
  signal: AbortSignal,
): Promise<{ ok: true; body: BodyRead } | { ok: false; error: unknown }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let totalBytes = 0;
  const stop = (): void => void response.destroy(signal.reason as Error);
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      totalBytes += chunk.length;
      if (kept < keepBytes) {
        const part = chunk.subarray(0, keepBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    }
  } catch (error) {
    return { ok: false, error };
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return {
    ok: true,
    body: { kept: Buffer.concat(chunks), totalBytes, truncated: totalBytes > kept },
  };
}

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
export function readCappedBody(
  response: IncomingMessage,
  keepBytes: number,
  signal: AbortSignal,
): Promise<{ ok: true; body: BodyRead } | { ok: false; error: unknown }> {
  // Stream events rather than `for await`: the async iterator costs a promise per chunk and
  // an iterator per response, which showed up in daemon profiles at thousands of checks/s.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let totalBytes = 0;
    let settled = false;
    const settle = (outcome: { ok: true; body: BodyRead } | { ok: false; error: unknown }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      response.off('data', onData);
      resolve(outcome);
    };
    const fail = (error: unknown): void => settle({ ok: false, error });
    const stop = (): void => void response.destroy(signal.reason as Error);
    const onData = (chunk: Buffer): void => {
      totalBytes += chunk.length;
      if (kept < keepBytes) {
        const part = chunk.subarray(0, keepBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    };
    response.on('data', onData);
    response.once('end', () =>
      settle({
        ok: true,
        body: { kept: Buffer.concat(chunks), totalBytes, truncated: totalBytes > kept },
      }),
    );
    response.once('error', fail);
    // A close before 'end' without an error is a cut-off body (what `for await` reports as
    // ERR_STREAM_PREMATURE_CLOSE); a close after 'end' finds the promise settled already.
    response.once('close', () => {
      if (!response.complete) fail(prematureClose());
    });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

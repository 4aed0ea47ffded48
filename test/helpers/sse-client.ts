import { readSseFrames } from '../../src/cli/sse-reader.ts';
import type { SseFrame } from '../../src/cli/sse-reader.ts';

/** A live SSE connection read frame by frame, for tests. */
export interface SseConnection {
  status: number;
  /** The next `count` frames, or a timeout error naming what arrived. */
  next(count: number, timeoutMs?: number): Promise<SseFrame[]>;
  /** Every frame until the server ends the stream. */
  rest(timeoutMs?: number): Promise<SseFrame[]>;
  /** Drops the connection, as a network failure or a closed tab would. */
  drop(): void;
}

/** Opens `url` as an event stream with a real HTTP client (fetch). */
export async function openSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  if (response.body === null) throw new Error('no body');
  const frames = readSseFrames(response.body);

  async function read(count: number, timeoutMs: number): Promise<SseFrame[]> {
    const got: SseFrame[] = [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`timed out after ${got.length}/${count} frames: ${JSON.stringify(got)}`),
          ),
        timeoutMs,
      );
    });
    try {
      while (got.length < count) {
        const next = await Promise.race([frames.next(), timeout]);
        if (next.done === true) break;
        got.push(next.value);
      }
      return got;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    status: response.status,
    next: (count, timeoutMs = 5_000) => read(count, timeoutMs),
    rest: (timeoutMs = 5_000) => read(Number.MAX_SAFE_INTEGER, timeoutMs),
    drop: () => abort.abort(),
  };
}

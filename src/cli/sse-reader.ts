/** One Server-Sent Events frame as received (comments and `retry:` lines are skipped). */
export interface SseFrame {
  /** The `id:` field; undefined when the frame had none. */
  id: string | undefined;
  /** The `event:` field; `message` when absent, as in EventSource. */
  event: string;
  data: string;
}

/**
 * Reads SSE frames from a response body as they arrive (the WHATWG event-stream format, the
 * subset the daemon writes: `id`, `event`, `data`, comments). Ends when the body ends.
 */
export async function* readSseFrames(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseFrame, void, undefined> {
  const decoder = new TextDecoder();
  let buffered = '';
  let frame: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (line === '') {
        if (frame.data.length > 0 || frame.event !== undefined) {
          yield { id: frame.id, event: frame.event ?? 'message', data: frame.data.join('\n') };
        }
        frame = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data.push(value);
    }
  }
}

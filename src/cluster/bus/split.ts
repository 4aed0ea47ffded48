import type { BusMessage } from './messages.ts';

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (in the server's encoding, UTF-8
 * here); the margin covers nothing but rounding, the count below is exact or over.
 */
export const MAX_PAYLOAD_BYTES = 7_900;

/** A message as NOTIFY payloads, and the list items left out because one alone is too large. */
export interface Payloads {
  payloads: string[];
  dropped: number;
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Serializes a message as payloads of at most `maxBytes` each. A message that fits is one
 * payload; a larger one (a batch of thousands of monitors) is spread over several messages of
 * the same type, origin and version, its list fields' items in order, each part a complete
 * message a receiver applies on its own. A message with no list to spread, or an item that
 * cannot fit even alone, is counted as dropped rather than sent to fail at the server.
 */
export function toPayloads(message: BusMessage, maxBytes = MAX_PAYLOAD_BYTES): Payloads {
  const whole = JSON.stringify(message);
  if (bytes(whole) <= maxBytes) return { payloads: [whole], dropped: 0 };
  const lists = Object.entries(message).filter(
    (entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[1].length > 0,
  );
  if (lists.length === 0) return { payloads: [], dropped: 1 };
  const emptyLists = (): Record<string, unknown[]> =>
    Object.fromEntries(lists.map(([key]) => [key, []]));
  const base = bytes(JSON.stringify({ ...message, ...emptyLists() }));
  const payloads: string[] = [];
  let dropped = 0;
  let part = emptyLists();
  let size = base;
  let items = 0;
  const emit = (): void => {
    if (items > 0) payloads.push(JSON.stringify({ ...message, ...part }));
    part = emptyLists();
    size = base;
    items = 0;
  };
  for (const [key, values] of lists) {
    for (const value of values) {
      // Each item costs its text and, at most, one comma.
      const cost = bytes(JSON.stringify(value)) + 1;
      if (base + cost > maxBytes) {
        dropped += 1;
        continue;
      }
      if (size + cost > maxBytes) emit();
      part[key]?.push(value);
      size += cost;
      items += 1;
    }
  }
  emit();
  return { payloads, dropped };
}

import { z } from 'zod';

// Keyset cursors: the sort key of a page's last item, with the list's name, as base64url
// JSON. Opaque to clients; the name makes a cursor of another list a clear error, not a
// silent misread. A key is data the client already saw (ids, times, a name), so it needs no
// signature.

/** Longest cursor accepted (a monitor key holds its name, up to 200 characters). */
const MAX_CURSOR_LENGTH = 2_048;

/** The input field for a list's cursor: decodes to the list's key or names `cursor` in a 400. */
export function cursorFor<K extends z.ZodType>(list: string, key: K) {
  const envelope = z.object({ list: z.literal(list), key: z.unknown() });
  return z
    .string()
    .min(1)
    .max(MAX_CURSOR_LENGTH)
    .transform((text, ctx): z.output<K> => {
      const parsed = envelope.safeParse(decodeJson(text));
      const position = parsed.success ? key.safeParse(parsed.data.key) : undefined;
      if (position?.success === true) return position.data;
      ctx.addIssue({
        code: 'custom',
        message: `not a cursor of ${list}; pass the nextCursor of the previous page`,
      });
      return z.NEVER;
    })
    .describe('nextCursor of the previous page');
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The cursor of a position in `list`. */
export function encodeCursor(list: string, key: unknown): string {
  return Buffer.from(JSON.stringify({ list, key })).toString('base64url');
}

/**
 * Reads one page: asks for one item more than `limit` to learn whether another page follows,
 * and names the position of the last item shown as the next cursor.
 */
export async function readPage<T>(
  list: string,
  limit: number,
  fetch: (limit: number) => Promise<T[]>,
  keyOf: (item: T) => unknown,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const rows = await fetch(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const more = rows.length > limit && last !== undefined;
  return { items, nextCursor: more ? encodeCursor(list, keyOf(last)) : null };
}

/** Cursor keys of the paged lists: the sort key of each list's order. */
export const CURSORS = {
  monitors: cursorFor('monitors', z.object({ name: z.string(), id: z.string() })),
  incidents: cursorFor('incidents', z.object({ startedAt: z.number().int(), id: z.string() })),
  results: cursorFor('results', z.object({ checkedAt: z.number().int(), id: z.string() })),
  rounds: cursorFor('rounds', z.object({ decidedAt: z.number().int(), id: z.string() })),
  alerts: cursorFor('alerts', z.object({ createdAt: z.number().int(), id: z.string() })),
};

import { truncate } from './formats.ts';

// Some providers count their limits in UTF-8 bytes, not characters (Webex 7439, WeCom 4096,
// Zulip 10000). A character limit that is safe for ASCII is not for CJK text or emoji.

/** Length of a text in UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The rendering that fits `maxBytes` UTF-8 bytes: `render` is called with a character limit,
 * starting at `maxBytes` (never more characters than bytes) and shrinking in proportion to the
 * overshoot until the result fits. Renderers keep their own truncation rules (evidence dropped
 * first, then text cut).
 */
export function fitBytes(render: (charLimit: number) => string, maxBytes: number): string {
  let limit = maxBytes;
  let text = render(limit);
  while (utf8Length(text) > maxBytes && limit > 1) {
    const ratio = utf8Length(text) / maxBytes;
    limit = Math.max(1, Math.min(limit - 1, Math.floor(limit / ratio)));
    text = render(limit);
  }
  return text;
}

/** A text cut to at most `maxBytes` UTF-8 bytes, marking the cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  return fitBytes((limit) => truncate(text, limit), maxBytes);
}

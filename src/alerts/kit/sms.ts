import type { AlertMessage } from './message.ts';
import { textLength, truncate } from './formats.ts';

/**
 * An alert as one short text message: the title, the summary and the link, no facts or
 * evidence (every 153 characters is another billed SMS segment), at most `limit` characters.
 * The link is kept whole when it fits: a cut link is useless.
 */
export function formatSms(message: AlertMessage, limit: number): string {
  const link = message.url === null ? '' : `\n${message.url}`;
  const head = `${message.title}\n${message.text}`;
  if (link !== '' && textLength(link) < limit / 2) {
    return `${truncate(head, limit - textLength(link))}${link}`;
  }
  return truncate(head, limit);
}

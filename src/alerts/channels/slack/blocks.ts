import { formatBody, truncate } from '../../kit/formats.ts';
import type { OutgoingAlert } from '../../types.ts';

// Slack's documented Block Kit limits (api.slack.com/reference/block-kit/blocks).
/** A header block's plain_text. */
export const HEADER_LIMIT = 150;
/** A section block's text. */
export const SECTION_LIMIT = 3000;
/** The top-level `text`, used for notifications when blocks are present. */
const FALLBACK_LIMIT = 3000;

/** The message as Block Kit: a header, the body as mrkdwn, and a context line; plus `text`. */
export function slackMessage(alert: OutgoingAlert): { text: string; blocks: unknown[] } {
  const { message } = alert;
  return {
    text: truncate(`${message.title}: ${message.text}`, FALLBACK_LIMIT),
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: truncate(message.title, HEADER_LIMIT), emoji: true },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: formatBody(message, { flavour: 'slack', limit: SECTION_LIMIT }),
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: contextLine(alert) }],
      },
    ],
  };
}

function contextLine(alert: OutgoingAlert): string {
  const seconds = Math.floor(alert.event.occurredAt / 1000);
  const iso = new Date(alert.event.occurredAt).toISOString();
  // Slack shows <!date^…> in each reader's time zone; the ISO time is the documented fallback.
  return `Crosscheck · ${alert.event.kind} · <!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

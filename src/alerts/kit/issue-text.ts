import type { OutgoingAlert, SendReceipt } from '../types.ts';
import { receiptOf } from './answers.ts';
import type { HttpAnswer } from './http-sender.ts';
import { formatBody, formatText, truncate } from './formats.ts';

// What the issue-tracker channels (GitHub, GitLab, Gitea) write: an issue per incident (or
// node trouble episode), opened by the firing alert and closed with a comment by its closing.

/** The issue's title: the alert's title, within the tracker's limit. */
export function issueTitle(alert: OutgoingAlert, limit: number): string {
  return truncate(alert.message.title.replace(/\s+/g, ' ').trim(), limit);
}

/** The issue's description (Markdown), with the dedup key so people can find it again. */
export function issueBody(alert: OutgoingAlert, limit: number): string {
  const footer = `\n\n---\nOpened by Crosscheck · \`${alert.dedupKey}\``;
  return `${formatBody(alert.message, { flavour: 'markdown', limit: limit - footer.length })}${footer}`;
}

/** The comment a closing alert leaves before closing the issue. */
export function closingComment(alert: OutgoingAlert, limit: number): string {
  return formatText(alert.message, { flavour: 'markdown', limit });
}

/**
 * The receipt of a closing alert whose opening left no issue reference (sent before this
 * channel existed, or its answer was lost): nothing to close, and a retry would not help.
 */
export function nothingToClose(): SendReceipt {
  return { status: null, answer: 'no issue was opened for this alert; nothing to close' };
}

/**
 * The receipt of an opened issue: its number (the `field` of the answer: GitHub and Gitea
 * `number`, GitLab `iid`) becomes the provider reference the closing alert closes.
 */
export function openedIssueReceipt(
  answer: HttpAnswer,
  field: string,
  secrets: readonly string[],
): SendReceipt {
  const number = numberIn(answer.json(), field);
  if (number === undefined) return receiptOf(answer, secrets);
  return { status: answer.status, answer: `opened issue #${number}`, providerRef: String(number) };
}

/** The issue a closing alert closes; undefined when its opening left no issue number. */
export function issueToClose(alert: OutgoingAlert): string | undefined {
  return alert.openingRef !== null && /^\d+$/.test(alert.openingRef) ? alert.openingRef : undefined;
}

/** A positive integer field of a JSON answer (GitHub `number`, GitLab `iid`). */
function numberIn(json: unknown, field: string): number | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const value = (json as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

import { createHash } from 'node:crypto';
import { formatHtml, formatText, truncate } from '../../kit/formats.ts';
import type { OutgoingAlert } from '../../types.ts';

/** Plain-text part limit: far above any real alert, well below what relays refuse. */
const TEXT_LIMIT = 100_000;
/** RFC 5322 recommends lines under 78 characters; a subject this long is folded, not cut off. */
const SUBJECT_LIMIT = 200;

/** One alert as a mail: what every SMTP-speaking channel sends. */
export interface AlertMail {
  subject: string;
  text: string;
  html: string;
  /** `<…@domain>`, unique per delivery (retries reuse it, so relays can drop duplicates). */
  messageId: string;
  /** The thread this mail belongs to: the opening's id first when known. */
  references: string[];
  /** The opening mail's id, on mails that follow it (recovery, retraction, node back). */
  inReplyTo: string | null;
}

/**
 * Composes an alert mail (pure). Threading: every mail of one incident (one `dedupKey`)
 * references the same thread anchor `<dedupKey@domain>`, and a closing mail also replies to
 * the opening mail's own Message-ID (its `openingRef`), so clients file a recovery under its
 * down mail even when the anchor itself never arrived.
 */
export function composeAlertMail(
  alert: OutgoingAlert,
  options: { subjectPrefix: string; fromAddress: string },
): AlertMail {
  const domain = mailDomain(options.fromAddress);
  const anchor = `<${idPart(alert.dedupKey)}@${domain}>`;
  const messageId = `<${idPart(alert.dedupKey)}.${shortHash(alert.idempotencyKey)}@${domain}>`;
  const opening = isMessageId(alert.openingRef) ? alert.openingRef : null;
  const inReplyTo = alert.status === 'resolved' ? (opening ?? anchor) : null;
  const references = [
    ...new Set([anchor, ...(alert.status === 'resolved' && opening ? [opening] : [])]),
  ];
  return {
    subject: subjectOf(alert.message.title, options.subjectPrefix),
    text: formatText(alert.message, { flavour: 'plain', limit: TEXT_LIMIT }),
    html: formatHtml(alert.message),
    messageId,
    references,
    inReplyTo,
  };
}

/** One line (a template could put line breaks in the title), prefixed, within the limit. */
export function subjectOf(title: string, prefix: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return truncate(prefix === '' ? line : `${prefix} ${line}`, SUBJECT_LIMIT);
}

/** The domain Message-IDs are made in: the sender's, as RFC 5322 §3.6.4 suggests. */
function mailDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1).toLowerCase();
  return /^[a-z0-9.-]+$/.test(domain) ? domain : 'crosscheck.invalid';
}

/** A dedup key as the left part of a Message-ID (dot-atom text only). */
function idPart(key: string): string {
  return key.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-');
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

function isMessageId(ref: string | null): ref is string {
  return ref !== null && /^<[^<>\s]+@[^<>\s]+>$/.test(ref);
}

/** The tagged completion of an IMAP command (RFC 9051 §7.1): `a1 OK …`, `a1 NO …`, `a1 BAD …`. */
export interface ImapCompletion {
  status: 'OK' | 'NO' | 'BAD';
  text: string;
}

/** How the greeting opened the session: ready, already logged in, or refused (§7.1.5). */
export type ImapGreeting = 'OK' | 'PREAUTH' | 'BYE';

/** The greeting's condition, or undefined when the line is not an IMAP greeting. */
export function parseGreeting(line: string): ImapGreeting | undefined {
  const match = /^\* (OK|PREAUTH|BYE)\b/i.exec(line);
  return match ? (match[1]?.toUpperCase() as ImapGreeting) : undefined;
}

/** The completion of `tag`'s command, or undefined when the line is something else. */
export function parseCompletion(tag: string, line: string): ImapCompletion | undefined {
  if (!line.startsWith(`${tag} `)) return undefined;
  const match = /^(OK|NO|BAD)\b ?(.*)$/is.exec(line.slice(tag.length + 1));
  if (!match) return undefined;
  return { status: match[1]?.toUpperCase() as ImapCompletion['status'], text: match[2] ?? '' };
}

/**
 * Capabilities named in an untagged `* CAPABILITY …` line or a `[CAPABILITY …]` response code
 * (greetings and completions carry it), upper-cased; undefined when the line names none.
 */
export function capabilitiesIn(line: string): string[] | undefined {
  const match = /^\* CAPABILITY (.*)$/i.exec(line) ?? /\[CAPABILITY ([^\]]*)\]/i.exec(line);
  if (!match) return undefined;
  return (match[1] ?? '')
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => word.toUpperCase());
}

/** An IMAP quoted string (RFC 9051 §4.3): backslash and double quote escaped. */
export function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** One SMTP reply line split into its parts (RFC 5321 §4.2): `250-PIPELINING`, `250 OK`. */
export interface SmtpReplyLine {
  code: number;
  /** False for a continuation line (`250-…`), true for the last line (`250 …` or `250`). */
  last: boolean;
  text: string;
}

/** A whole (possibly multi-line) reply: its code and the text of every line. */
export interface SmtpReply {
  code: number;
  lines: string[];
}

/** Parses one reply line, or undefined when it is not one (the server does not speak SMTP). */
export function parseReplyLine(line: string): SmtpReplyLine | undefined {
  const match = /^([2-5]\d\d)(?:([ -])(.*))?$/s.exec(line);
  if (!match) return undefined;
  const [, code, separator, text] = match as unknown as [string, string, string?, string?];
  return { code: Number(code), last: separator !== '-', text: text ?? '' };
}

/** The EHLO keywords (first word of every line after the greeting line), upper-cased. */
export function ehloKeywords(reply: SmtpReply): string[] {
  return reply.lines
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0]?.toUpperCase() ?? '')
    .filter((keyword) => keyword !== '');
}

/** The SASL mechanisms of the EHLO `AUTH` line (also the old `AUTH=` form), upper-cased. */
export function authMechanisms(reply: SmtpReply): string[] {
  const mechanisms = new Set<string>();
  for (const line of reply.lines.slice(1)) {
    const match = /^AUTH[ =](.*)$/i.exec(line.trim());
    if (!match) continue;
    for (const name of (match[1] ?? '').split(/\s+/))
      if (name !== '') mechanisms.add(name.toUpperCase());
  }
  return [...mechanisms];
}

/** `AUTH PLAIN` initial response: base64 of NUL user NUL password (RFC 4616). */
export function plainCredentials(username: string, password: string): string {
  return Buffer.from(`\0${username}\0${password}`, 'utf8').toString('base64');
}

/** A POP3 status line (RFC 1939 §3): `+OK …` or `-ERR …`; undefined for anything else. */
export function parseStatus(line: string): { ok: boolean; text: string } | undefined {
  const match = /^(\+OK|-ERR)(?: (.*))?$/is.exec(line);
  if (!match) return undefined;
  return { ok: match[1]?.toUpperCase() === '+OK', text: match[2] ?? '' };
}

/**
 * One line of a multi-line response: `done` at the lone `.` terminator, otherwise the line
 * with its byte-stuffed leading dot removed (RFC 1939 §3).
 */
export function multiLineItem(line: string): { done: true } | { done: false; text: string } {
  if (line === '.') return { done: true };
  return { done: false, text: line.startsWith('.') ? line.slice(1) : line };
}

/** The capability names of a CAPA listing (RFC 2449 §5): first word of each line, upper-cased. */
export function capaNames(lines: readonly string[]): string[] {
  return lines
    .map((line) => line.trim().split(/\s+/)[0]?.toUpperCase() ?? '')
    .filter((name) => name !== '');
}

/**
 * The server's identification line (RFC 4253 §4.2): `SSH-protoversion-softwareversion
 * [comments]`. Lines before it that do not start with `SSH-` are allowed (a greeting).
 */
export interface SshIdent {
  /** The line as sent, without its line end. */
  line: string;
  protocol: string;
  software: string;
}

/** RFC 4253 limits the line to 255 characters; servers sending more are not SSH servers. */
export const MAX_PRE_IDENT_BYTES = 8 * 1024;

const IDENT = /^SSH-([^-\s]+)-(\S+)(?: .*)?$/;

/**
 * Finds the identification line in what the server sent so far: the line, `incomplete` while
 * it may still come, or `invalid` with what was seen when the data cannot be an SSH server's.
 */
export function findIdent(
  received: string,
): SshIdent | { status: 'incomplete' } | { status: 'invalid'; reason: string } {
  let start = 0;
  for (;;) {
    const end = received.indexOf('\n', start);
    if (end === -1) {
      const pending = received.slice(start);
      if (
        received.length >= MAX_PRE_IDENT_BYTES ||
        (pending.startsWith('SSH-') && pending.length > 255)
      )
        return { status: 'invalid', reason: 'no SSH identification line' };
      return { status: 'incomplete' };
    }
    const line = received.slice(start, end).replace(/\r$/, '');
    if (line.startsWith('SSH-')) {
      const match = IDENT.exec(line);
      if (match === null) return { status: 'invalid', reason: 'malformed SSH identification line' };
      const [, protocol = '', software = ''] = match;
      return { line, protocol, software };
    }
    start = end + 1;
  }
}

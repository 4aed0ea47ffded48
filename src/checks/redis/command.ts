/**
 * Commands a redis check may send. Only commands that read a bounded amount and never block or
 * change data: a check runs from every node at every interval, so a write (or KEYS, SUBSCRIBE,
 * MONITOR, BLPOP) would harm the very server it watches.
 */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set([
  'PING',
  'ECHO',
  'GET',
  'MGET',
  'EXISTS',
  'TYPE',
  'TTL',
  'PTTL',
  'STRLEN',
  'GETRANGE',
  'HGET',
  'HMGET',
  'HEXISTS',
  'HLEN',
  'HSTRLEN',
  'LLEN',
  'LINDEX',
  'SCARD',
  'SISMEMBER',
  'SMISMEMBER',
  'ZCARD',
  'ZSCORE',
  'ZRANK',
  'ZCOUNT',
  'XLEN',
  'DBSIZE',
  'INFO',
  'TIME',
  'ROLE',
  'LASTSAVE',
]);

const MAX_ARGUMENTS = 16;

/**
 * Splits `GET "my key"` into words: whitespace separates, single or double quotes group, a
 * backslash escapes the next character inside double quotes. Returns the reason when it cannot.
 */
export function splitCommand(text: string): string[] | { error: string } {
  const words: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) current += text.charAt(++i);
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + char;
  }
  if (quote !== undefined) return { error: `unclosed ${quote} quote` };
  if (current !== undefined) words.push(current);
  if (words.length === 0) return { error: 'must name a command' };
  if (words.length > MAX_ARGUMENTS) return { error: `at most ${MAX_ARGUMENTS} words` };
  return words;
}

/** The command's words, with the command name checked against the read-only list. */
export function parseRedisCommand(text: string): string[] | { error: string } {
  const words = splitCommand(text);
  if (!Array.isArray(words)) return words;
  const name = (words[0] ?? '').toUpperCase();
  if (!READ_ONLY_COMMANDS.has(name))
    return {
      error: `${name} is not one of the read-only commands a check may send (${[...READ_ONLY_COMMANDS].join(', ')})`,
    };
  return [name, ...words.slice(1)];
}

/** A reply as text for matching and messages: nil as `(nil)`, arrays one item a line. */
export function replyText(reply: unknown): string {
  if (reply === null || reply === undefined) return '(nil)';
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map(replyText).join('\n');
  if (typeof reply === 'string') return reply;
  if (typeof reply === 'number' || typeof reply === 'bigint' || typeof reply === 'boolean')
    return String(reply);
  return JSON.stringify(reply);
}

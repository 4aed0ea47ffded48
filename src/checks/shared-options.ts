import type { CheckFlag } from './types.ts';

/**
 * `--expect`, shared by tcp (one banner: text or /regex/), dns (answer values), ssh (banner
 * text), redis (reply), postgres and mysql (query value), mqtt (payload) and grpc (health status). One entry, because the CLI registers each flag string once and every
 * type must read the same key/kind.
 */
export const expectFlag: CheckFlag = {
  flags: '--expect <value>',
  key: 'expect',
  description:
    'expected value: tcp banner, udp reply or websocket message text or /regex/; dns answer (repeat or comma-separate); postgres or mysql query value; ssh banner text; redis reply or mqtt payload (text or /regex/); grpc health status (default SERVING); smtp, imap, pop3 greeting (text or /regex/)',
  kind: 'list',
};

/** Drops keys whose value is undefined: the CLI passes every flag it knows, set or not. */
export function dropUndefinedKeys(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** Integers may arrive as CLI text (`"5"`); anything else is left for the schema to judge. */
export function intFromText(value: unknown): unknown {
  return typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

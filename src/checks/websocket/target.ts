import { z } from 'zod';

/** Target of the `websocket` type: a ws:// or wss:// URL, normalised by WHATWG URL rules. */
export const websocketTargetSchema: z.ZodType<string> = z.string().transform((text, ctx) => {
  const parsed = parseWebsocketTarget(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed.href;
});

/** Parses a ws:// or wss:// URL (fragment dropped), or returns why it is not one. */
export function parseWebsocketTarget(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'must be an absolute URL starting with ws:// or wss://';
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return 'must start with ws:// or wss://';
  if (url.hostname === '') return 'must name a host';
  url.hash = '';
  return url;
}

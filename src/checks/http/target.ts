import { z } from 'zod';

/** An absolute URL with one of the given schemes, normalised by WHATWG URL rules. */
function urlTargetSchema(protocols: readonly ('http:' | 'https:')[]): z.ZodType<string> {
  const expected = protocols.map((p) => `${p}//`).join(' or ');
  return z.string().transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text.trim());
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `must be an absolute URL starting with ${expected}`,
      });
      return z.NEVER;
    }
    if (!(protocols as readonly string[]).includes(url.protocol)) {
      ctx.addIssue({ code: 'custom', message: `must start with ${expected}` });
      return z.NEVER;
    }
    if (url.hostname === '') {
      ctx.addIssue({ code: 'custom', message: 'must name a host' });
      return z.NEVER;
    }
    url.hash = '';
    return url.href;
  });
}

/** Target of the `http` type (and the HTTP-based assertion types): an http:// or https:// URL. */
export const httpTargetSchema = urlTargetSchema(['http:', 'https:']);

/** Target of the `https` type: an https:// URL only. */
export const httpsTargetSchema = urlTargetSchema(['https:']);

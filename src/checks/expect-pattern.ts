import { z } from 'zod';
import { parseBannerPattern } from './tcp/banner.ts';

/**
 * One expected text or `/regex/flags` (a tcp banner, a udp reply, a websocket message, a redis
 * reply), valid as a pattern. The CLI's `--expect` is a list flag shared with dns, so a
 * one-element list is read too; `tooMany` says what this type takes instead.
 */
export function expectedPatternSchema(options: { tooMany: string; maxLength?: number }) {
  const { tooMany, maxLength } = options;
  return z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
    if (Array.isArray(value) && value.length !== 1) {
      ctx.addIssue({ code: 'custom', message: tooMany });
      return z.NEVER;
    }
    const text = Array.isArray(value) ? (value[0] ?? '') : value;
    if (maxLength !== undefined && (text === '' || text.length > maxLength)) {
      ctx.addIssue({ code: 'custom', message: `must be 1 to ${maxLength} characters` });
      return z.NEVER;
    }
    if (text === '') {
      ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      return z.NEVER;
    }
    const pattern = parseBannerPattern(text);
    if ('error' in pattern) {
      ctx.addIssue({ code: 'custom', message: pattern.error });
      return z.NEVER;
    }
    return text;
  });
}

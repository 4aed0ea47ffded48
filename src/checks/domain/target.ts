import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { isHostname } from '../net-names.ts';

/**
 * A registered domain name in ASCII (IDNs become punycode: `bücher.de` → `xn--bcher-kva.de`),
 * lower case, without a trailing dot; or why the text is not one.
 */
export function parseDomainTarget(text: string): { domain: string } | { error: string } {
  const trimmed = text.trim().replace(/\.$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /[/:@]/.test(trimmed))
    return { error: 'must be a domain name such as example.com, not a URL or host:port' };
  const ascii = domainToASCII(trimmed);
  if (ascii === '' || !isHostname(ascii)) return { error: `"${text}" is not a valid domain name` };
  const labels = ascii.split('.');
  if (labels.length < 2)
    return { error: 'must have at least two labels (example.com): a TLD alone is not registered' };
  if (/^\d+$/.test(labels.at(-1) ?? '')) return { error: 'an IP address is not a domain name' };
  return { domain: ascii.toLowerCase() };
}

/** Validates a domain target and normalises it to its ASCII form. */
export const domainTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseDomainTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.domain;
});

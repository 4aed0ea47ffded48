import { X509Certificate } from 'node:crypto';
import { getCACertificates } from 'node:tls';
import { z } from 'zod';
import type { CheckFlag } from '../types.ts';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** PEM text holding one or more CA certificates to trust in addition to the default store. */
export const caPemSchema = z.string().superRefine((text, ctx) => {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be PEM text with at least one CERTIFICATE block',
    });
    return;
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: 'custom', message: `certificate ${index + 1} is not valid: ${reason}` });
    }
  });
});

/** The shared `--ca` flag (http, https, http_keyword, http_json, tls). */
export const caFlag: CheckFlag = {
  flags: '--ca <pem>',
  key: 'ca',
  description: 'PEM text of an extra CA certificate to trust (private CAs), e.g. "$(cat ca.pem)"',
  kind: 'string',
};

/** The shared `--insecure` flag; http skips all verification, tls ignores only chain trust. */
export const insecureFlag: CheckFlag = {
  flags: '--insecure',
  key: 'insecure',
  description:
    'accept untrusted certificates (http, websocket, smtp, imap, pop3: skip all TLS verification; tls: ignore chain trust only)',
  kind: 'boolean',
};

/**
 * The trust store for a connection: Node's default CAs plus the extra PEM, or undefined
 * (Node's default) when there is none. Adding instead of replacing keeps public sites working.
 */
export function trustedCas(caPem: string | undefined): string[] | undefined {
  if (caPem === undefined) return undefined;
  return [...getCACertificates('default'), ...(caPem.match(PEM_BLOCK) ?? [])];
}

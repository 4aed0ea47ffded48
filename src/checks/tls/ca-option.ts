import { X509Certificate } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { z } from 'zod';
import type { CheckFlag } from '../types.ts';
import { createTrustStoreCache } from './trust-store-cache.ts';

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
 * The node's trust stores, shared by every check in this process. Module state on purpose:
 * building one costs ~14 ms CPU (Node's ~265 default CAs parsed again), it is a pure function of
 * the PEM text and immutable once built, so sharing cannot carry anything from one monitor or
 * test to another; the cache is bounded (see TRUST_STORE_CAPACITY).
 */
const trustStores = createTrustStoreCache();

/**
 * The TLS context to connect with: Node's default CAs plus the extra PEM, or undefined (Node's
 * default context) when there is none. Pass it as `secureContext` instead of `ca`, so the
 * trust store is built once per distinct PEM rather than once per check.
 */
export function trustedContext(caPem: string | undefined): SecureContext | undefined {
  return caPem === undefined ? undefined : trustStores.get(caPem).secureContext();
}

/**
 * The same trust as a `ca` list, for a client that builds its own context and takes none
 * (mysql2). Adding instead of replacing keeps public sites working.
 */
export function trustedCas(caPem: string | undefined): string[] | undefined {
  return caPem === undefined ? undefined : [...trustStores.get(caPem).cas];
}

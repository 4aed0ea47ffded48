import { createHash } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { createSecureContext, getCACertificates } from 'node:tls';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Distinct CA PEMs kept at once. A user could create monitors with any number of distinct
 * CAs; past this the least recently used trust store is dropped, so memory stays bounded and
 * the stores of removed monitors age out instead of living forever (about 1 MB each: Node's
 * ~265 default CAs parsed into an OpenSSL X509_STORE).
 */
export const TRUST_STORE_CAPACITY = 64;

/** The trust for one CA PEM: Node's default CAs plus its certificates. */
export interface TrustStore {
  /** The PEM blocks, for a client library that builds its own context from a `ca` list. */
  readonly cas: readonly string[];
  /** Built once on first use: parsing the ~265 default CAs costs ~14 ms CPU each time. */
  secureContext(): SecureContext;
}

export interface TrustStoreCache {
  /** The trust store for `caPem`, the same object for the same PEM text while it is cached. */
  get(caPem: string): TrustStore;
  readonly size: number;
}

/**
 * A bounded LRU of trust stores keyed by a hash of the PEM text (the text is already in `cas`;
 * the key need not hold it twice). Contexts are immutable once built, and the same PEM always
 * gives the same trust, so sharing one between monitors cannot leak one monitor's trust into
 * another's.
 */
export function createTrustStoreCache(capacity = TRUST_STORE_CAPACITY): TrustStoreCache {
  const stores = new Map<string, TrustStore>();
  return {
    get(caPem) {
      const key = createHash('sha256').update(caPem).digest('base64');
      const cached = stores.get(key);
      if (cached !== undefined) {
        // Re-inserting moves the entry to the end: Map order is the recency order.
        stores.delete(key);
        stores.set(key, cached);
        return cached;
      }
      const store = buildTrustStore(caPem);
      stores.set(key, store);
      if (stores.size > capacity) {
        const oldest = stores.keys().next();
        if (oldest.done !== true) stores.delete(oldest.value);
      }
      return store;
    },
    get size() {
      return stores.size;
    },
  };
}

function buildTrustStore(caPem: string): TrustStore {
  // Adding to the defaults instead of replacing them keeps public sites working.
  const cas = Object.freeze([...getCACertificates('default'), ...(caPem.match(PEM_BLOCK) ?? [])]);
  let context: SecureContext | undefined;
  return {
    cas,
    secureContext: () => (context ??= createSecureContext({ ca: [...cas] })),
  };
}

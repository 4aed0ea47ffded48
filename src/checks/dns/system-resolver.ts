import { readFile } from 'node:fs/promises';
import type { ResolverAddress } from './resolver-address.ts';
import { FALLBACK_RESOLVER, firstNameserver } from './resolver-address.ts';

/** Reads the system's first nameserver; a missing or unreadable file means the loopback fallback. */
export async function readSystemResolver(path = '/etc/resolv.conf'): Promise<ResolverAddress> {
  try {
    return firstNameserver(await readFile(path, 'utf8'));
  } catch {
    return FALLBACK_RESOLVER;
  }
}

/** Wraps a reader so the file is read once, on first use, and the answer reused after. */
export function readOnce(read: () => Promise<ResolverAddress>): () => Promise<ResolverAddress> {
  let pending: Promise<ResolverAddress> | undefined;
  return () => (pending ??= read());
}

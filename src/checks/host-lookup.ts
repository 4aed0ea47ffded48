import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { PhaseTimings } from '../domain/check-result.ts';

/** Where a check connects: an address with the lookup timed, or why the name did not resolve. */
export type ResolvedHost =
  | { address: string; timings: PhaseTimings }
  | { error: unknown; aborted: boolean; timings: PhaseTimings };

/**
 * Resolves a check's host, timing the lookup (`dnsMs`, names only: an IP address has no DNS
 * phase). Settles as soon as the signal aborts, because `lookup` takes no signal.
 */
export async function resolveHost(host: string, signal: AbortSignal): Promise<ResolvedHost> {
  if (isIP(host) !== 0) return { address: host, timings: {} };
  const started = performance.now();
  const resolved = await lookupUnlessAborted(host, signal);
  const timings: PhaseTimings = { dnsMs: performance.now() - started };
  if ('address' in resolved) return { address: resolved.address, timings };
  return { error: resolved.error, aborted: signal.aborted, timings };
}

function lookupUnlessAborted(
  host: string,
  signal: AbortSignal,
): Promise<{ address: string } | { error: unknown }> {
  if (signal.aborted) return Promise.resolve({ error: signal.reason as unknown });
  return new Promise((resolve) => {
    const onAbort = (): void => resolve({ error: signal.reason as unknown });
    signal.addEventListener('abort', onAbort, { once: true });
    lookup(host)
      .then(
        ({ address }) => resolve({ address }),
        (error: unknown) => resolve({ error }),
      )
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

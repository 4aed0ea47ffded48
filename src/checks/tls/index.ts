import type { CheckResult } from '../../domain/check-result.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { judgeCertificate } from './evaluate.ts';
import { tlsFlags, tlsOptionsSchema } from './options.ts';
import type { TlsOptions } from './options.ts';
import { probeTls } from './probe.ts';
import { parseTlsTarget, tlsTargetSchema } from './target.ts';

/** Runs a tls check: handshake, then chain, hostname and expiry are judged. */
async function runTlsCheck(
  target: string,
  options: TlsOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const parsed = parseTlsTarget(target);
  if (typeof parsed === 'string')
    throw new Error(`tls target "${target}" was not validated: ${parsed}`);
  const probe = await probeTls(parsed.host, parsed.port, options.ca, ctx);
  if (!probe.ok) return probe.result;
  return judgeCertificate(probe.facts, options, Date.now(), probe.latencyMs, probe.timings);
}

/** `tls`: handshake with host:port and report the certificate: trust, hostname, days to expiry. */
export const tlsCheck: CheckDefinition<TlsOptions> = {
  type: 'tls',
  description: 'TLS certificate: chain, hostname and days to expiry',
  targetSchema: tlsTargetSchema,
  optionsSchema: tlsOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: tlsFlags,
  run: runTlsCheck,
};

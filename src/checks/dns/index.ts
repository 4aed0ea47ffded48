import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import type { CheckResult } from '../../domain/check-result.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { judgeDnsResponse } from './judge.ts';
import type { DnsOptions } from './options.ts';
import { dnsFlags, dnsOptionsSchema, dnsTargetSchema } from './options.ts';
import type { ResolverAddress } from './resolver-address.ts';
import { formatResolver, parseResolverAddress } from './resolver-address.ts';
import { readOnce, readSystemResolver } from './system-resolver.ts';
import { exchangeQuery } from './transport.ts';

/** What the dns check needs from its surroundings; tests and embedders may replace it. */
export interface DnsCheckDeps {
  /** The resolver used when a monitor names none. */
  systemResolver: () => Promise<ResolverAddress>;
}

/** Builds the `dns` check; the default reads /etc/resolv.conf once, on first use. */
export function createDnsCheck(
  deps: DnsCheckDeps = { systemResolver: readOnce(() => readSystemResolver()) },
): CheckDefinition<DnsOptions> {
  return {
    type: 'dns',
    description: 'DNS query for a name and record type, optionally expecting answer values',
    targetSchema: dnsTargetSchema,
    optionsSchema: dnsOptionsSchema,
    defaultTimeoutMs: 5_000,
    flags: dnsFlags,
    // Names on many servers fail together when the resolver they are asked through fails.
    sharedCauses: (_target, options) =>
      options.resolver === undefined ? [] : [{ kind: 'resolver', value: options.resolver }],
    run: (target, options, ctx) => runDnsCheck(target, options, ctx, deps),
  };
}

/** The `dns` check as registered. */
export const dnsCheck = createDnsCheck();

async function runDnsCheck(
  target: string,
  options: DnsOptions,
  ctx: CheckContext,
  deps: DnsCheckDeps,
): Promise<CheckResult> {
  const started = performance.now();
  const resolver =
    options.resolver === undefined
      ? await deps.systemResolver()
      : parseResolverAddress(options.resolver);
  if ('error' in resolver) return downResult('network', 0, `invalid resolver: ${resolver.error}`);
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  const query: Packet = {
    type: 'query',
    id: randomInt(65_536),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: options.recordType, name: target }],
  };
  const details = {
    name: target,
    recordType: options.recordType,
    resolver: formatResolver(resolver),
  };
  try {
    // Retransmit once, halfway through the time we have.
    const exchange = await exchangeQuery(resolver, query, signal, ctx.timeoutMs / 2);
    return judgeDnsResponse(exchange.response, {
      name: target,
      recordType: options.recordType,
      expect: options.expect,
      match: options.match,
      degradedThresholdMs: options.degradedThresholdMs,
      latencyMs: performance.now() - started,
      details: { ...details, transport: exchange.transport },
    });
  } catch (error) {
    const latencyMs = performance.now() - started;
    if (signal.aborted) {
      // The runner also aborts ctx.signal at the deadline; only an abort well before it is a cancel.
      const cancelled = ctx.signal.aborted && latencyMs < ctx.timeoutMs * 0.9;
      const message = cancelled
        ? `check cancelled after ${Math.round(latencyMs)} ms`
        : `no answer from ${details.resolver} within ${ctx.timeoutMs} ms`;
      return downResult('timeout', latencyMs, message, {}, details);
    }
    const { kind, message } = classifyNetworkError(error);
    return downResult(kind, latencyMs, `resolver ${details.resolver}: ${message}`, {}, details);
  }
}

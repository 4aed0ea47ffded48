import type { CheckResult } from '../../domain/check-result.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { interpretPing } from './interpret.ts';
import type { IcmpOptions } from './options.ts';
import { icmpFlags, icmpOptionsSchema, icmpTargetSchema } from './options.ts';
import { planPing } from './ping-args.ts';
import { runPing } from './run-ping.ts';

/** What the icmp check needs from its surroundings; tests point it at a missing binary. */
export interface IcmpCheckDeps {
  /** The ping program (iputils-ping), looked up on a standard PATH unless absolute. */
  pingCommand: string;
}

/** Builds the `icmp` check around the system `ping`. */
export function createIcmpCheck(
  deps: IcmpCheckDeps = { pingCommand: 'ping' },
): CheckDefinition<IcmpOptions> {
  return {
    type: 'icmp',
    description: 'ICMP echo (ping) with round-trip times and packet loss',
    targetSchema: icmpTargetSchema,
    optionsSchema: icmpOptionsSchema,
    defaultTimeoutMs: 5_000,
    flags: icmpFlags,
    run: (target, options, ctx) => runIcmpCheck(target, options, ctx, deps),
  };
}

/** The `icmp` check as registered. */
export const icmpCheck = createIcmpCheck();

async function runIcmpCheck(
  target: string,
  options: IcmpOptions,
  ctx: CheckContext,
  deps: IcmpCheckDeps,
): Promise<CheckResult> {
  const started = performance.now();
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  const plan = planPing(target, options.count, ctx.timeoutMs);
  const run = await runPing(deps.pingCommand, plan.args, signal);
  const elapsedMs = performance.now() - started;
  return interpretPing(run, {
    elapsedMs,
    timeoutMs: ctx.timeoutMs,
    // The runner also aborts ctx.signal at the deadline; only an abort well before it is a cancel.
    cancelled: ctx.signal.aborted && elapsedMs < ctx.timeoutMs * 0.9,
    degradedThresholdMs: options.degradedThresholdMs,
  });
}

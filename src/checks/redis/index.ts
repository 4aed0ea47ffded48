import type { CheckResult, ErrorKind } from '../../domain/check-result.ts';
import { withDeadline, wasCancelled } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import { bannerMatcher, parseBannerPattern, printable } from '../tcp/banner.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { parseRedisCommand, replyText } from './command.ts';
import type { RedisOptions } from './options.ts';
import {
  REDIS_SECRET_OPTIONS,
  redactRedisOptions,
  redisFlags,
  redisOptionsSchema,
} from './options.ts';
import type { RedisProbe } from './probe.ts';
import { probeRedis } from './probe.ts';
import { parseRedisTarget, redisTargetSchema } from './target.ts';

/** The `redis` check: connect (TLS for rediss://), optional AUTH, PING or a read-only command. */
export const redisCheck: CheckDefinition<RedisOptions> = {
  type: 'redis',
  description: 'Redis PING (or a read-only command with an expected reply), AUTH and TLS optional',
  targetSchema: redisTargetSchema,
  optionsSchema: redisOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: redisFlags,
  secretOptions: REDIS_SECRET_OPTIONS,
  redact: redactRedisOptions,
  run: runRedisCheck,
};

async function runRedisCheck(
  target: string,
  options: RedisOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseRedisTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const command = options.command === undefined ? ['PING'] : parseRedisCommand(options.command);
  if (!Array.isArray(command)) return downResult('network', 0, `invalid command: ${command.error}`);
  const probe = await withDeadline(ctx, (signal) =>
    probeRedis({
      host: address.host,
      port: address.port,
      db: address.db,
      tls: address.tls ? { insecure: options.insecure === true, ca: options.ca } : undefined,
      auth:
        options.password === undefined
          ? undefined
          : { username: options.username, password: options.password },
      command,
      signal,
    }),
  );
  const details = {
    address: probe.address ?? null,
    command: command[0] ?? 'PING',
    ...(probe.end === 'replied' ? { reply: printable(replyText(probe.reply)) } : {}),
  };
  const facts = { started, ctx, details, command: command.join(' '), name: command[0] ?? 'PING' };
  if (probe.end !== 'replied') return describeFailure(probe, facts);
  return judgeReply(probe, options, facts);
}

interface Facts {
  started: number;
  ctx: CheckContext;
  details: Record<string, string | null>;
  /** The command as sent (`GET health`) and its name alone (`GET`), for messages. */
  command: string;
  name: string;
}

/** The reply against the expectation: PING wants PONG; a command wants `expect` when given. */
async function judgeReply(
  probe: RedisProbe,
  options: RedisOptions,
  facts: Facts,
): Promise<CheckResult> {
  const { timings } = probe;
  const text = replyText(probe.reply);
  const expected = options.expect ?? (options.command === undefined ? 'PONG' : undefined);
  if (expected !== undefined) {
    const pattern = parseBannerPattern(expected);
    let matched: boolean;
    if ('error' in pattern || pattern.kind === 'text') matched = text === expected;
    else {
      const outcome = await bannerMatcher(pattern, facts.ctx.patterns, facts.ctx.signal)(text);
      // Cancelled: the caller aborted the check (shutdown) while its regex ran in a worker.
      if (outcome.status === 'cancelled')
        return downResult(
          'timeout',
          elapsed(facts),
          'check cancelled while matching the reply',
          timings,
          facts.details,
        );
      if (outcome.status !== 'done') {
        const failure = patternFailure(outcome, expected, text.length);
        return downResult(
          failure.errorKind,
          elapsed(facts),
          failure.message,
          timings,
          facts.details,
        );
      }
      matched = outcome.value;
    }
    if (!matched)
      return downResult(
        'assertion',
        elapsed(facts),
        `unexpected reply to ${facts.command}: expected ${describe(expected)}, got "${printable(text, 80)}"`,
        timings,
        facts.details,
      );
  }
  const latencyMs = elapsed(facts);
  const message = `${facts.name} answered in ${Math.round(latencyMs)} ms`;
  return answeredResult(latencyMs, message, options.degradedThresholdMs, timings, facts.details);
}

function describeFailure(probe: RedisProbe, facts: Facts): CheckResult {
  const latencyMs = elapsed(facts);
  const down = (kind: ErrorKind, message: string): CheckResult =>
    downResult(kind, latencyMs, message, probe.timings, facts.details);
  if (probe.end === 'aborted') {
    if (wasCancelled(facts.ctx, latencyMs))
      return down(
        'timeout',
        `check cancelled after ${Math.round(latencyMs)} ms during ${probe.phase}`,
      );
    const limit = `${facts.ctx.timeoutMs} ms`;
    if (probe.phase === 'dns') return down('timeout', `DNS lookup did not finish within ${limit}`);
    if (probe.phase === 'connect') return down('timeout', `connection not ready within ${limit}`);
    const waitedFor = probe.phase === 'command' ? facts.name : probe.phase.toUpperCase();
    return down('timeout', `no reply to ${waitedFor} within ${limit}`);
  }
  if (probe.end === 'refused') {
    const reply = printable(
      probe.error instanceof Error ? probe.error.message : String(probe.error),
      160,
    );
    if (probe.phase === 'auth' || /^(NOAUTH|WRONGPASS)\b/.test(reply))
      return down('assertion', `auth failed: ${reply}`);
    return down(
      'assertion',
      `${probe.phase === 'select' ? 'SELECT' : facts.name} failed: ${reply}`,
    );
  }
  const { kind, message } = classifyNetworkError(probe.error);
  return down(probe.phase === 'dns' ? 'dns' : kind, message);
}

function describe(expected: string): string {
  const pattern = parseBannerPattern(expected);
  return 'error' in pattern || pattern.kind === 'text' ? `"${printable(expected)}"` : expected;
}

function elapsed(facts: Facts): number {
  return performance.now() - facts.started;
}

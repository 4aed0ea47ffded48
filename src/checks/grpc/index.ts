import type { CheckResult, ErrorKind } from '../../domain/check-result.ts';
import { withDeadline, wasCancelled } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { HTTP_SECRET_OPTIONS, redactHttpOptions } from '../http/redact.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { printable } from '../tcp/banner.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { GrpcOptions } from './options.ts';
import { grpcFlags, grpcOptionsSchema } from './options.ts';
import type { GrpcProbe } from './probe.ts';
import { probeGrpc, statusName } from './probe.ts';
import { grpcTargetSchema, parseGrpcTarget } from './target.ts';

/** The `grpc` check: one grpc.health.v1.Health/Check call; SERVING (or `expect`) is up. */
export const grpcCheck: CheckDefinition<GrpcOptions> = {
  type: 'grpc',
  description:
    'gRPC health checking protocol (grpc.health.v1.Health/Check) for a service, plaintext or TLS, with metadata',
  targetSchema: grpcTargetSchema,
  optionsSchema: grpcOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: grpcFlags,
  secretOptions: HTTP_SECRET_OPTIONS,
  redact: redactHttpOptions,
  run: runGrpcCheck,
};

async function runGrpcCheck(
  target: string,
  options: GrpcOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseGrpcTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const probe = await withDeadline(ctx, (signal) =>
    probeGrpc(address.host, address.port, options, ctx.timeoutMs, signal),
  );
  return describeProbe(probe, options, ctx, performance.now() - started);
}

/** Turns what the call saw into the one result shape. */
export function describeProbe(
  probe: GrpcProbe,
  options: GrpcOptions,
  ctx: Pick<CheckContext, 'timeoutMs' | 'signal'>,
  latencyMs: number,
): CheckResult {
  const servingStatus = probe.response === undefined ? null : String(probe.response.status);
  const code = grpcCode(probe.error);
  const details = {
    service: options.service,
    servingStatus,
    grpcCode: code === undefined ? null : statusName(code),
  };
  const down = (kind: ErrorKind, message: string): CheckResult =>
    downResult(kind, latencyMs, message, probe.timings, details);
  const subject = options.service === '' ? 'server' : `service "${options.service}"`;
  if (servingStatus !== null) {
    if (servingStatus !== options.expect)
      return down('assertion', `${subject} is ${servingStatus}, expected ${options.expect}`);
    const message = `${subject} ${servingStatus} in ${Math.round(latencyMs)} ms`;
    return answeredResult(latencyMs, message, options.degradedThresholdMs, probe.timings, details);
  }
  if (probe.aborted || code === CANCELLED || code === DEADLINE_EXCEEDED) {
    if (wasCancelled(ctx, latencyMs))
      return down(
        'timeout',
        `check cancelled after ${Math.round(latencyMs)} ms during ${probe.phase}`,
      );
    if (probe.phase === 'dns')
      return down('timeout', `DNS lookup did not finish within ${ctx.timeoutMs} ms`);
    const where = probe.phase === 'connect' ? 'connection not ready' : 'no health answer';
    return down('timeout', `${where} within ${ctx.timeoutMs} ms`);
  }
  if (code === undefined) {
    const { kind, message } = classifyNetworkError(probe.error);
    return down(probe.phase === 'dns' ? 'dns' : kind, message);
  }
  return describeStatus(code, grpcDetails(probe.error), subject, down);
}

// grpc status codes the check tells apart (grpc/doc/statuscodes.md).
const CANCELLED = 1;
const NOT_FOUND = 5;
const DEADLINE_EXCEEDED = 4;
const UNIMPLEMENTED = 12;
const UNAVAILABLE = 14;

const TLS_TEXT = /certificate|self[- ]signed|SSL|TLS|handshake|altname|ERR_TLS|unable to verify/i;

function describeStatus(
  code: number,
  text: string,
  subject: string,
  down: (kind: ErrorKind, message: string) => CheckResult,
): CheckResult {
  const said = printable(text, 160);
  if (code === NOT_FOUND)
    return down('assertion', `${subject} is unknown to the health server (NOT_FOUND)`);
  if (code === UNIMPLEMENTED)
    return down('status', 'the server does not implement grpc.health.v1.Health (UNIMPLEMENTED)');
  if (code === UNAVAILABLE) {
    // grpc-js folds every connection failure into UNAVAILABLE; its text keeps the cause.
    if (/ECONNREFUSED/.test(text)) return down('refused', 'connection refused');
    if (TLS_TEXT.test(text)) return down('tls', `TLS error: ${said}`);
    return down('network', `unavailable: ${said}`);
  }
  return down('status', `health call failed: ${statusName(code)}: ${said}`);
}

function grpcCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('details' in error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function grpcDetails(error: unknown): string {
  const details = (error as { details?: unknown } | undefined)?.details;
  return typeof details === 'string' ? details : '';
}

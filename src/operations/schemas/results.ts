import { z } from 'zod';
import type {
  CheckStatus,
  ErrorKind,
  PhaseTimings,
  RecordedResult,
} from '../../domain/check-result.ts';
import { CHECK_STATUSES, ERROR_KINDS } from '../../domain/check-result.ts';
import type { Agreement, Expect } from './agreement.ts';

/** Epoch milliseconds. */
export const epochMs = z.number().int().min(0);

export const checkStatusSchema = z
  .enum(CHECK_STATUSES)
  .describe(
    "up, degraded, down, or error (the check could not run because of the node's own fault)",
  );

export const errorKindSchema = z
  .enum(ERROR_KINDS)
  .describe('why a check failed; node: the fault is the node’s (only with status error)');

export const phaseTimingsSchema = z
  .object({
    dnsMs: z.number().exactOptional(),
    connectMs: z.number().exactOptional(),
    tlsMs: z.number().exactOptional(),
    firstByteMs: z.number().exactOptional(),
  })
  .describe('per-phase timings in ms; a phase the check type does not have is absent');

const detailValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()).readonly(),
]);

/** One check result as recorded: which monitor, which node, when, and the outcome. */
export const resultSchema = z.object({
  id: z.string(),
  monitorId: z.string(),
  nodeId: z.string().describe('the node that ran the check'),
  checkedAt: epochMs.describe('when the check started'),
  status: checkStatusSchema,
  latencyMs: z.number().describe('total wall time of the check'),
  timings: phaseTimingsSchema,
  errorKind: errorKindSchema
    .exactOptional()
    .describe('present when status is down or error, and for a degraded failed expectation'),
  message: z.string().describe('one sentence for people: "HTTP 200 in 12 ms"'),
  details: z
    .record(z.string(), detailValue)
    .describe('type-specific facts: status code, certificate days left, RTTs, DNS rcode…'),
});

export type CheckStatusAgrees = Expect<Agreement<typeof checkStatusSchema, CheckStatus>>;
export type ErrorKindAgrees = Expect<Agreement<typeof errorKindSchema, ErrorKind>>;
export type PhaseTimingsAgrees = Expect<Agreement<typeof phaseTimingsSchema, PhaseTimings>>;
export type ResultAgrees = Expect<Agreement<typeof resultSchema, RecordedResult>>;

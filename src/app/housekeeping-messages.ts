import { z } from 'zod';
import type { ErrorCode } from '../lib/errors.ts';
import { ERROR_CODES } from '../lib/errors.ts';
import type { CheckpointOutcome } from '../store/sqlite/wal-checkpoints.ts';
import type { CheckpointReport } from './checkpoint-loop.ts';

/**
 * The messages between the daemon and its housekeeping thread (`housekeeping-worker.ts`,
 * `housekeeping-thread.ts`), each side parsing what it receives once with these schemas.
 */
const errorCode = z.custom<ErrorCode>(
  (value) => ERROR_CODES.some((code) => code === value),
  'unknown error code',
);

const retentionSchema = z.object({
  rawMs: z.number(),
  minuteMs: z.number(),
  hourMs: z.number(),
  dayMs: z.number(),
});

/**
 * The database the thread opens: the SQLite file, or a PostgreSQL URL with its sslmode and CA
 * (TLS options are rebuilt in the thread: a function in them could not be posted).
 */
export const threadDatabaseSchema = z.union([
  z.object({ file: z.string() }),
  z.object({
    postgres: z.object({
      url: z.string(),
      sslmode: z.enum(['disable', 'require', 'verify-full']),
      caPem: z.string().nullable(),
    }),
  }),
]);
export type ThreadDatabase = z.infer<typeof threadDatabaseSchema>;

export const passRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rollup'), id: z.number() }),
  z.object({
    kind: z.literal('prune'),
    id: z.number(),
    now: z.number(),
    retention: retentionSchema,
  }),
  z.object({ kind: z.literal('measure'), id: z.number(), now: z.number() }),
  z.object({ kind: z.literal('close') }),
]);
export type PassRequest = z.infer<typeof passRequestSchema>;

const checkpointOutcomeSchema = z.object({
  mode: z.enum(['PASSIVE', 'TRUNCATE']),
  busy: z.boolean(),
  walPages: z.number(),
  checkpointedPages: z.number(),
  walBytes: z.number(),
}) satisfies z.ZodType<CheckpointOutcome>;

export const checkpointReportSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('truncated'),
    passive: checkpointOutcomeSchema,
    truncate: checkpointOutcomeSchema,
    count: z.number(),
  }),
  z.object({ kind: z.literal('failed'), message: z.string(), count: z.number() }),
]) satisfies z.ZodType<CheckpointReport>;

export const threadMessageSchema = z.discriminatedUnion('kind', [
  /**
   * The thread's own connection is open (or failed to open: `error`); `checkpoints`: it
   * checkpoints the WAL, so the daemon's writer may turn its automatic checkpoints off.
   */
  z.object({
    kind: z.literal('ready'),
    error: z.object({ code: errorCode, message: z.string() }).optional(),
    checkpoints: z.boolean().optional(),
  }),
  /** The checkpoint loop needed its fallback or failed (at most once a minute each). */
  z.object({ kind: z.literal('checkpoint'), report: checkpointReportSchema }),
  z.object({
    kind: z.literal('done'),
    id: z.number(),
    counts: z.record(z.string(), z.number()),
    cpuMs: z.number(),
  }),
  z.object({
    kind: z.literal('failed'),
    id: z.number(),
    code: errorCode,
    message: z.string(),
  }),
]);
export type ThreadMessage = z.infer<typeof threadMessageSchema>;

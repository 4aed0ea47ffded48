import { z } from 'zod';
import { ERROR_CODES } from '../../lib/errors.ts';
import { createMonitorSchema, updateMonitorSchema } from '../../services/monitors/monitor-input.ts';
import { MAX_BULK_ITEMS } from '../../services/monitors/monitor-bulk.ts';
import { monitorSchema } from './monitors.ts';

/**
 * One bulk item as documented. The operation's input takes items loosely (each is validated
 * on its own, so one bad item is that item's error, never a 400 for the request); this is
 * the shape a client should send.
 */
export const bulkItemSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), monitor: createMonitorSchema }).strict(),
  z.object({ op: z.literal('update'), id: z.string().min(1), patch: updateMonitorSchema }).strict(),
]);

export const bulkInputSchema = z
  .object({
    items: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BULK_ITEMS)
      .describe(
        'each { op: "create", monitor: <monitor body> } or { op: "update", id, patch: <changes> }',
      ),
    atomic: z.boolean().optional().describe('write nothing when any item fails (default false)'),
  })
  .strict();

const itemErrorSchema = z.object({
  code: z.enum(ERROR_CODES as [string, ...string[]]),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const bulkOutputSchema = z.object({
  results: z.array(
    z.union([
      z.object({ index: z.number().int(), ok: z.literal(true), monitor: monitorSchema }),
      z.object({ index: z.number().int(), ok: z.literal(false), error: itemErrorSchema }),
    ]),
  ),
  written: z.number().int().describe('monitors written (0 for an atomic request that failed)'),
});

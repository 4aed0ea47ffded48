import { z } from 'zod';
import { monitorSchema } from './monitors.ts';

const jsonSchema = z.record(z.string(), z.unknown());

/** One check type as forms and docs need it. */
export const checkTypeInfoSchema = z.object({
  type: monitorSchema.shape.type,
  description: z.string(),
  defaultTimeoutMs: z.number().int().min(0),
  targetSchema: jsonSchema.describe('JSON Schema of the target (text the type validates)'),
  optionsSchema: jsonSchema.describe(
    'JSON Schema (draft 2020-12) of the options, as written: titles, help, defaults, bounds',
  ),
  secrets: z
    .array(z.object({ key: z.string(), masked: z.string() }))
    .describe('options masked when shown (their schema carries x-secret)'),
  exclusiveOptions: z
    .array(z.array(z.string()))
    .describe('option keys that replace each other (give one of each list)'),
});

export const checkTypesSchema = z.object({
  items: z.array(checkTypeInfoSchema),
  monitorFields: jsonSchema.describe(
    'JSON Schema of the monitors.create body; type, target and options come from the items',
  ),
});

import { z } from 'zod';
import { MANAGED_KINDS } from '../../domain/managed-object.ts';
import { boolParam } from '../kit.ts';

export const configApplyInputSchema = z
  .object({
    // Taken loosely here and checked by the config service entry by entry, in slices: one
    // parse of 100,000 monitors would hold the node's event loop for seconds.
    document: z
      .record(z.string(), z.unknown())
      .describe(
        'the parsed file (its JSON Schema: docs/crosscheck.schema.json), `${ENV}` references ' +
          'already substituted (the CLI reads and substitutes it); checked in full, every ' +
          'problem reported at once under `document.`',
      ),
    source: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("the file's identity: objects it applies are managed by it (CLI: the file name)"),
    dryRun: boolParam.optional().describe('plan only, write nothing'),
    prune: boolParam
      .optional()
      .describe('delete objects this file manages and no longer names (never unmanaged ones)'),
  })
  .strict();

const plannedSchema = z.object({
  kind: z.enum(MANAGED_KINDS),
  key: z.string(),
  name: z.string(),
  id: z.string().nullable().describe('null for a creation not written (dry run)'),
});

export const configApplyOutputSchema = z.object({
  dryRun: z.boolean(),
  written: z.boolean().describe('false for a dry run or when nothing differs'),
  create: z.array(plannedSchema),
  update: z.array(
    plannedSchema.extend({
      fields: z.array(z.string()).describe('dotted paths of the settings that differ (no values)'),
      adopt: z.boolean().describe('an unmanaged object of the same name becomes managed'),
    }),
  ),
  delete: z.array(plannedSchema),
  unchanged: z.array(plannedSchema),
});

export const configExportInputSchema = z
  .object({
    includeSecrets: boolParam
      .optional()
      .describe('write secrets as they are instead of ${CROSSCHECK_SECRET_…} placeholders (admin)'),
  })
  .strict();

export const configExportOutputSchema = z.object({
  text: z.string().describe('the file (YAML)'),
  secrets: z.array(z.string()).describe('environment variables the placeholders name'),
  warnings: z.array(z.string()).describe('what a file cannot carry and was left out'),
});

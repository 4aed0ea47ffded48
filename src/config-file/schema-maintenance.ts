import type { z } from 'zod';
import { isAppError } from '../lib/errors.ts';
import { maintenanceInputSchema, windowFromInput } from '../services/maintenance-input.ts';
import { configKeySchema, splitPath } from './schema-key.ts';

/**
 * One maintenance window of the file: the `maintenance.create` input plus `key` (default: its
 * name). `monitors` names monitors by their key in this file, not by id; groups and tags are
 * names as in the API, nodes are node names. A one-off window that is already over is allowed
 * (the file describes what exists; it covers nothing).
 */
export const configMaintenanceSchema = maintenanceInputSchema
  .extend({
    key: configKeySchema.optional(),
    monitors: maintenanceInputSchema.shape.monitors.describe('monitor keys in this file'),
  })
  .strict()
  .superRefine((entry, ctx) => {
    // The scope and schedule rules (one kind of schedule, cron and zone valid) are the
    // maintenance input's: reported here, at the entry's path.
    try {
      windowFromInput(entry);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'VALIDATION') throw error;
      for (const issue of error.issues)
        ctx.addIssue({ code: 'custom', path: splitPath(issue.path), message: issue.message });
    }
  });

export type ConfigMaintenance = z.output<typeof configMaintenanceSchema>;

/** A window entry's identity: its explicit key, else its name. */
export function maintenanceKey(entry: Pick<ConfigMaintenance, 'key' | 'name'>): string {
  return entry.key ?? entry.name;
}

import { z } from 'zod';
import { maintenanceScheduleSchema } from '../../domain/maintenance.ts';
import type { MaintenanceView } from '../../services/maintenance-service.ts';
import type { Agreement, Expect } from './agreement.ts';
import { managedByField, warningsField } from './managed.ts';
import { epochMs } from './results.ts';

const occurrenceSchema = z.object({
  start: epochMs.describe('inclusive'),
  end: epochMs.describe('exclusive'),
});

/** A maintenance window with its occurrence in progress or next. */
export const maintenanceWindowSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.object({
    monitors: z.array(z.string()).describe('monitor ids'),
    groups: z.array(z.string()),
    tags: z.array(z.string()),
    nodes: z.array(z.string()).describe('node names'),
  }),
  schedule: maintenanceScheduleSchema,
  reason: z.string().nullable(),
  createdAt: epochMs,
  updatedAt: epochMs,
  next: occurrenceSchema
    .nullable()
    .describe('the occurrence in progress, else the next one; null when none is left'),
  active: z.boolean().describe('true while `next` is in progress'),
});

export type MaintenanceWindowAgrees = Expect<
  Agreement<typeof maintenanceWindowSchema, MaintenanceView>
>;

/** As read: with the config file that manages it, if one does. */
export const managedMaintenanceSchema = maintenanceWindowSchema.extend({
  managedBy: managedByField,
});
/** After an edit: with a warning when a config file manages it (its next apply undoes the edit). */
export const editedMaintenanceSchema = maintenanceWindowSchema.extend({ warnings: warningsField });

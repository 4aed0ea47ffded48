import { z } from 'zod';
import { statusPageCreateSchema } from '../services/status-pages/status-page-input.ts';

const monitorKeys = z.array(z.string().trim().min(1).max(200)).max(500);

/**
 * One status page of the file: the `statuspages.create` input, keyed by its slug (unique, and
 * what its URL is). Monitors are named by their key in this file, not by id: groups list
 * `monitors`, and `badgeMonitors` replaces `badgeMonitorIds`.
 */
export const configStatusPageSchema = statusPageCreateSchema
  .omit({ groups: true, badgeMonitorIds: true })
  .extend({
    groups: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(100).describe('heading shown above the monitors'),
            monitors: monitorKeys.describe('monitor keys in this file, in display order'),
          })
          .strict(),
      )
      .max(50)
      .default([])
      .describe('named groups of monitors, in display order'),
    badgeMonitors: monitorKeys
      .default([])
      .describe('monitor keys with public badges although not on the page'),
  })
  .strict();

export type ConfigStatusPage = z.output<typeof configStatusPageSchema>;

import { z } from 'zod';
import type { ManagedRecord } from '../../domain/managed-object.ts';
import type { Agreement, Expect } from './agreement.ts';

/** Added to the output of an edit of an object a config file manages. */
export const warningsField = z
  .array(z.string())
  .optional()
  .describe('present when the object is managed by a config file: the next apply undoes this edit');

/**
 * A delete's output: nothing (REST 204) for an unmanaged object; the warnings (REST 200) when a
 * config file managed it, since its next apply re-creates the object.
 */
export const deleteOutputSchema = z
  .object({
    warnings: z
      .array(z.string())
      .min(1)
      .describe('the deleted object was managed by a config file: its next apply re-creates it'),
  })
  .optional();

export type DeleteOutput = z.input<typeof deleteOutputSchema>;

/** Which file manages an object, shown so an editor knows before editing. */
export const managedBySchema = z.object({
  source: z.string().describe('the config file that manages the object'),
  key: z.string().describe('the object’s key in that file'),
});

export type ManagedBy = z.output<typeof managedBySchema>;

export type ManagedByAgrees = Expect<
  Agreement<typeof managedBySchema, Pick<ManagedRecord, 'source' | 'key'>>
>;

/** On get and list views of a kind a config file may manage. */
export const managedByField = managedBySchema
  .optional()
  .describe('present when a config file manages the object: its next apply restores its version');

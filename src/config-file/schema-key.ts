import { z } from 'zod';

/** An object's stable identity in a file: renames keep it, so they update in place. */
export const configKeySchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .describe('stable identity of the object in this file (default: its name)');

/** `options.headers.0` → ['options', 'headers', 0]: numeric segments are array indexes. */
export function splitPath(path: string): (string | number)[] {
  if (path === '') return [];
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

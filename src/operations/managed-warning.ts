import { z } from 'zod';
import type { ManagedKind } from '../domain/managed-object.ts';
import type { OperationServices } from './services.ts';

/** Added to the output of an edit of an object a config file manages. */
export const warningsField = z
  .array(z.string())
  .optional()
  .describe('present when the object is managed by a config file: the next apply undoes this edit');

/**
 * The edit still happens (the API stays usable in an emergency); the caller is told that the
 * file wins at its next apply.
 */
export async function managedWarnings(
  services: OperationServices,
  kind: ManagedKind,
  id: string,
): Promise<{ warnings?: string[] }> {
  const record = await services.config?.managedBy?.(kind, id);
  if (record === undefined) return {};
  return {
    warnings: [
      `${kind} ${id} is managed by the config file ${record.source} (key ${record.key}); ` +
        'the next crosscheck apply of that file restores its version',
    ],
  };
}

import path from 'node:path';
import { z } from 'zod';
import { timeoutSetting } from '../../kit/settings.ts';

/** Environment variable names a script can read portably. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Settings of one command target; the executable must also be allow-listed on the node. */
export const commandSettingsSchema = z.strictObject({
  command: z
    .string()
    .max(4096)
    .refine((value) => path.isAbsolute(value) && path.normalize(value) === value, {
      error: 'must be an absolute, normalised path to an executable (no shell is involved)',
    })
    .describe("Absolute path of the executable; it must be in the node's allowedCommands list"),
  args: z
    .array(
      z
        .string()
        .max(4096)
        .regex(/^[^\0]*$/, { error: 'must not contain NUL' }),
    )
    .max(32)
    .default([])
    .describe('Arguments, passed as they are (no shell, no expansion)'),
  env: z
    .record(
      z.string().regex(ENV_NAME, { error: 'must be a valid environment variable name' }),
      z.string().regex(/^[^\0]*$/, { error: 'must not contain NUL' }),
    )
    .optional()
    .describe('Extra environment variables (e.g. a token); values are secret'),
  timeoutMs: timeoutSetting.describe('Time the command may run before it is killed (ms)'),
});

export type CommandSettings = z.infer<typeof commandSettingsSchema>;

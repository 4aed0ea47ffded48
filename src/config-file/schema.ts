import { z } from 'zod';
import { targetRouteSchema } from '../domain/monitor-schema.ts';
import { isAppError } from '../lib/errors.ts';
import { buildMonitor, createMonitorSchema } from '../services/monitors/monitor-input.ts';

/** The only version of the file format so far; a later format bumps it. */
export const CONFIG_FILE_VERSION = 1;

/**
 * Most objects of one kind a file may hold: one apply is one transaction. 100,000 monitors are
 * a ~2 s transaction (bench/README.md, bulk-create); the request body limit follows from it.
 */
export const MAX_CONFIG_OBJECTS = 100_000;

/** Largest `config.apply` request: 100,000 monitors of ~600 bytes of JSON each. */
export const MAX_CONFIG_BODY_BYTES = 64 * 1_048_576;

/** An object's stable identity in a file: renames keep it, so they update in place. */
export const configKeySchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .describe('stable identity of the object in this file (default: its name)');

/**
 * One monitor of the file: the `monitors.create` input plus `key`. Alert routes name alert
 * targets (`{ target: ops-slack }`): inline channels with settings belong in the API, not in a
 * file that is meant to be reviewed and kept in git.
 */
export const configMonitorSchema = createMonitorSchema
  .extend({
    key: configKeySchema.optional(),
    alerts: z.array(targetRouteSchema).max(20).optional(),
    regionalAlerts: z.array(targetRouteSchema).max(20).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    // The cross-field and per-type rules (target form, options, timeout vs interval) are the
    // monitor builder's: running it here reports them with the rest, at the entry's path.
    const { key: _key, ...input } = entry;
    try {
      buildMonitor(input, 'config-file', 0);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'VALIDATION') throw error;
      for (const issue of error.issues)
        ctx.addIssue({ code: 'custom', path: splitPath(issue.path), message: issue.message });
    }
  });

export type ConfigMonitor = z.output<typeof configMonitorSchema>;
export type ConfigMonitorInput = z.input<typeof configMonitorSchema>;

/** The whole file. Kinds other than monitors join as they are supported. */
export const configFileSchema = z
  .object({
    $schema: z.string().optional().describe('the JSON Schema editors complete the file with'),
    version: z.literal(CONFIG_FILE_VERSION).describe('format version of this file'),
    monitors: z.array(configMonitorSchema).max(MAX_CONFIG_OBJECTS).optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    (file.monitors ?? []).forEach((monitor, index) => {
      const key = monitorKey(monitor);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['monitors', index, monitor.key === undefined ? 'name' : 'key'],
          message: `duplicate key ${JSON.stringify(key)} (also monitors.${first})`,
        });
    });
  });

export type ConfigFile = z.output<typeof configFileSchema>;
export type ConfigFileInput = z.input<typeof configFileSchema>;

/** A monitor entry's identity: its explicit key, else its name. */
export function monitorKey(monitor: Pick<ConfigMonitor, 'key' | 'name'>): string {
  return monitor.key ?? monitor.name;
}

/** `options.headers.0` → ['options', 'headers', 0]: numeric segments are array indexes. */
export function splitPath(path: string): (string | number)[] {
  if (path === '') return [];
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The JSON Schema of the file (what editors complete against), from the same zod schemas. */
export function configFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Crosscheck configuration file',
  };
}

/** `docs/crosscheck.schema.json` as written by `npm run docs` (a test fails when it is stale). */
export function renderConfigFileSchema(): string {
  return `${JSON.stringify(configFileJsonSchema(), null, 2)}\n`;
}

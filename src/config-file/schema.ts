import { z } from 'zod';
import { targetRouteSchema } from '../domain/monitor-schema.ts';
import { isAppError } from '../lib/errors.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { FieldIssue } from '../lib/errors.ts';
import { createMonitorSchema, monitorFromCreateValue } from '../services/monitors/monitor-input.ts';
import { MAX_DEPENDENCIES } from '../domain/dependencies.ts';
import type { ConfigAlertRule } from './schema-alerts.ts';
import {
  configAlertRuleSchema,
  configAlertTargetSchema,
  ruleIdentity,
  ruleKey,
  ruleScope,
} from './schema-alerts.ts';
import { configKeySchema, splitPath } from './schema-key.ts';
import { configMaintenanceSchema, maintenanceKey } from './schema-maintenance.ts';
import { configStatusPageSchema } from './schema-status-pages.ts';

/** The only version of the file format so far; a later format bumps it. */
export const CONFIG_FILE_VERSION = 1;

/**
 * Most objects of one kind a file may hold: one apply is one transaction. 100,000 monitors are
 * a ~2 s transaction (bench/README.md, bulk-create); the request body limit follows from it.
 */
export const MAX_CONFIG_OBJECTS = 100_000;

/** Largest `config.apply` request: 100,000 monitors of ~600 bytes of JSON each. */
export const MAX_CONFIG_BODY_BYTES = 64 * 1_048_576;

export { configKeySchema, splitPath } from './schema-key.ts';

/**
 * One monitor of the file: the `monitors.create` input plus `key`. Alert routes name alert
 * targets (`{ target: ops-slack }`): inline channels with settings belong in the API, not in a
 * file that is meant to be reviewed and kept in git.
 */
export const configMonitorEntrySchema = createMonitorSchema
  .extend({
    key: configKeySchema.optional(),
    alerts: z.array(targetRouteSchema).max(20).optional(),
    regionalAlerts: z.array(targetRouteSchema).max(20).optional(),
    dependsOn: z
      .array(z.string().trim().min(1).max(200))
      .max(MAX_DEPENDENCIES)
      .optional()
      .describe(
        'keys of monitors in this file, or group:<name> for every monitor of a group, that this monitor depends on',
      ),
  })
  .strict();

/**
 * An entry as the monitor builder sees it: the cross-field and per-type rules (target form,
 * options, timeout vs interval) as issues at the entry's path (`splitPath` of the builder's),
 * or the monitor it describes (id and times left for the plan to give).
 */
export function buildEntryMonitor(
  entry: ConfigMonitor,
): { ok: true; monitor: Monitor } | { ok: false; issues: FieldIssue[] } {
  const { key: _key, ...input } = entry;
  try {
    return { ok: true, monitor: monitorFromCreateValue(input, '', 0) };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'VALIDATION') throw error;
    return { ok: false, issues: [...error.issues] };
  }
}

/** One entry with the builder's rules too: what the file's JSON Schema and a whole-file parse use. */
export const configMonitorSchema = configMonitorEntrySchema.superRefine((entry, ctx) => {
  const built = buildEntryMonitor(entry);
  if (!built.ok)
    for (const issue of built.issues)
      ctx.addIssue({ code: 'custom', path: splitPath(issue.path), message: issue.message });
});

export type ConfigMonitor = z.output<typeof configMonitorEntrySchema>;
export type ConfigMonitorInput = z.input<typeof configMonitorSchema>;

/** The file's lists. Kinds other than these join as they are supported. */
const configFileFields = {
  $schema: z.string().optional().describe('the JSON Schema editors complete the file with'),
  version: z.literal(CONFIG_FILE_VERSION).describe('format version of this file'),
  alertTargets: z
    .array(configAlertTargetSchema)
    .max(MAX_CONFIG_OBJECTS)
    .optional()
    .describe('named alert targets (key: the name); routes and rules name them'),
  alertRules: z
    .array(configAlertRuleSchema)
    .max(MAX_CONFIG_OBJECTS)
    .optional()
    .describe('routing rules: a group, a tag or every monitor (default) to a target'),
  monitors: z.array(configMonitorSchema).max(MAX_CONFIG_OBJECTS).optional(),
  maintenance: z
    .array(configMaintenanceSchema)
    .max(MAX_CONFIG_OBJECTS)
    .optional()
    .describe('maintenance windows (key: the name unless given); monitors by key'),
  statusPages: z
    .array(configStatusPageSchema)
    .max(MAX_CONFIG_OBJECTS)
    .optional()
    .describe('public status pages (key: the slug); monitors by key'),
};

/** The whole file, every entry checked with every rule (its JSON Schema is the file's). */
export const configFileSchema = z
  .object(configFileFields)
  .strict()
  .superRefine((file, ctx) => {
    for (const issue of duplicateIssues(file)) ctx.addIssue({ code: 'custom', ...issue });
  });

/**
 * The file with its monitors taken loosely: the one shape a large file is parsed in before
 * its monitors are checked one by one, in slices (`validate.ts`).
 */
export const configFileEnvelopeSchema = z
  .object({
    ...configFileFields,
    monitors: z.array(z.unknown()).max(MAX_CONFIG_OBJECTS).optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const { monitors: _checkedLater, ...lists } = file;
    for (const issue of duplicateIssues(lists)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** A problem found across a file's entries, by path in the file. */
export interface FileIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The entries duplicates are looked for in; a monitor entry too broken to have a name is
 * `undefined` (it keeps its place, so indexes stay the file's).
 */
export type DuplicateCandidates = Omit<Partial<ConfigFile>, 'version' | 'monitors'> & {
  monitors?: readonly (Pick<ConfigMonitor, 'key' | 'name'> | undefined)[] | undefined;
};

/** Entries that repeat a key, a window name or a rule (one issue per entry, the first found). */
export function duplicateIssues(file: DuplicateCandidates): FileIssue[] {
  const issues: FileIssue[] = [];
  const reported = new Set<string>();
  const duplicates = (
    list: string,
    entries: readonly ({ key: string; field: string } | undefined)[],
    what = 'key',
  ): void => {
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      if (entry === undefined) return;
      const { key, field } = entry;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else if (!reported.has(`${list}.${index}`)) {
        reported.add(`${list}.${index}`);
        issues.push({
          path: [list, index, field],
          message: `duplicate ${what} ${JSON.stringify(key)} (also ${list}.${first})`,
        });
      }
    });
  };
  duplicates(
    'monitors',
    (file.monitors ?? []).map((m) =>
      m === undefined
        ? undefined
        : { key: monitorKey(m), field: m.key === undefined ? 'name' : 'key' },
    ),
  );
  duplicates(
    'alertTargets',
    (file.alertTargets ?? []).map((t) => ({ key: t.name, field: 'name' })),
  );
  duplicates(
    'maintenance',
    (file.maintenance ?? []).map((w) => ({
      key: maintenanceKey(w),
      field: w.key === undefined ? 'name' : 'key',
    })),
  );
  // Window names are unique in the store, whatever the keys.
  duplicates(
    'maintenance',
    (file.maintenance ?? []).map((w) => ({ key: w.name, field: 'name' })),
    'name',
  );
  duplicates(
    'statusPages',
    (file.statusPages ?? []).map((p) => ({ key: p.slug, field: 'slug' })),
  );
  const rules = file.alertRules ?? [];
  duplicates(
    'alertRules',
    rules.map((r) => ({ key: ruleKey(r), field: r.key === undefined ? 'target' : 'key' })),
  );
  // The store keeps one rule per scope and target, whatever the keys.
  duplicates(
    'alertRules',
    rules.map((r: ConfigAlertRule) => ({
      key: ruleIdentity(ruleScope(r), r.target),
      field: 'target',
    })),
    'rule',
  );
  return issues;
}

export type ConfigFile = z.output<typeof configFileSchema>;
export type ConfigFileInput = z.input<typeof configFileSchema>;

/** A monitor entry's identity: its explicit key, else its name. */
export function monitorKey(monitor: Pick<ConfigMonitor, 'key' | 'name'>): string {
  return monitor.key ?? monitor.name;
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

import { MAX_CONFIG_BODY_BYTES } from '../config-file/schema.ts';
import { AppError } from '../lib/errors.ts';
import { defineOperation, need, roleAtLeast } from './kit.ts';
import {
  configApplyInputSchema,
  configApplyOutputSchema,
  configExportInputSchema,
  configExportOutputSchema,
} from './schemas/config.ts';

export const applyConfig = defineOperation({
  name: 'config.apply',
  summary: 'Apply a config file: create, update and (with prune) delete objects in one transaction',
  description:
    'Objects are matched by their key in the file (default: the name), or adopted from an ' +
    'unmanaged object of the same name; matched objects are set to the file version, so edits ' +
    'made elsewhere are undone. Objects written are managed by `source`. `prune` deletes only ' +
    'objects managed by this source that the file no longer names. Any error writes nothing.',
  input: configApplyInputSchema,
  output: configApplyOutputSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: {
    method: 'POST',
    path: '/api/v1/config/apply',
    bodyLimit: MAX_CONFIG_BODY_BYTES,
    // A file of 100,000 monitors is validated, planned and written in one call.
    clientWaitMs: 300_000,
  },
  cli: ['apply'],
  mcp: true,
  offline: false,
  async run({ services }, { document, source, dryRun, prune }) {
    const apply = need(services.config?.apply, services.unavailableReason);
    const options = { source, dryRun: dryRun ?? false, prune: prune ?? false };
    const { plan, createdIds, written } = await apply(document, options);
    const entry = (p: { kind: 'monitor'; key: string; name: string }, id: string | null) => ({
      kind: p.kind,
      key: p.key,
      name: p.name,
      id,
    });
    return {
      dryRun: options.dryRun,
      written,
      create: plan.create.map((c) => entry(c, createdIds.get(c.key) ?? null)),
      update: plan.update.map((u) => ({ ...entry(u, u.id), fields: u.fields, adopt: u.adopt })),
      delete: plan.delete.map((d) => entry(d, d.id)),
      unchanged: plan.unchanged.map((u) => entry(u, u.id)),
    };
  },
});

export const exportConfig = defineOperation({
  name: 'config.export',
  summary: 'Export every object as a config file (secrets as placeholders)',
  description:
    'Deterministic: exporting, applying the file on an empty node (with the placeholders set ' +
    'in the environment) and exporting again gives the same text. `includeSecrets` needs admin.',
  input: configExportInputSchema,
  output: configExportOutputSchema,
  access: 'read',
  destructive: false,
  role: 'editor',
  http: { method: 'GET', path: '/api/v1/config/export' },
  cli: ['export'],
  mcp: true,
  offline: true,
  async run({ services, principal }, { includeSecrets }) {
    const config = need(services.config, services.unavailableReason);
    if (includeSecrets === true && !roleAtLeast(principal.role, 'admin'))
      throw new AppError(
        'FORBIDDEN',
        `exporting secrets needs the admin role; ${principal.name} is ${principal.role}`,
      );
    return config.export({ includeSecrets: includeSecrets ?? false });
  },
});

import { findChannel } from '../alerts/registry.ts';
import { createdIdKey } from '../config-file/config-service.ts';
import { summarizePlan } from '../config-file/plan.ts';
import type { ConfigFile } from '../config-file/schema.ts';
import type { Principal } from '../domain/principal.ts';
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
  async run({ services, principal }, { document, source, dryRun, prune }) {
    const apply = need(services.config?.apply, services.unavailableReason);
    const options = { source, dryRun: dryRun ?? false, prune: prune ?? false };
    const { plan, createdIds, written } = await apply(document, {
      ...options,
      authorize: (config) => assertMayConfigure(config, principal),
    });
    const summary = summarizePlan(plan);
    return {
      dryRun: options.dryRun,
      written,
      create: summary.create.map((c) => ({
        ...c,
        id: createdIds.get(createdIdKey(c.kind, c.key)) ?? null,
      })),
      update: summary.update,
      delete: summary.delete,
      unchanged: summary.unchanged,
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

/** Targets that run things on the node (command) are for admins, in a file as in the API. */
function assertMayConfigure(document: ConfigFile, principal: Principal): void {
  if (roleAtLeast(principal.role, 'admin')) return;
  for (const target of document.alertTargets ?? []) {
    const channel = findChannel(target.type);
    if (channel?.adminOnly === true)
      throw new AppError(
        'FORBIDDEN',
        `alert target ${target.name}: only admins may configure ${channel.title} targets`,
      );
  }
}

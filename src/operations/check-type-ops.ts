import { z } from 'zod';
import { checkOptionsJsonSchema, checkTargetJsonSchema } from '../checks/options-json-schema.ts';
import { listChecks } from '../checks/registry.ts';
import { monitorFieldsJsonSchema } from '../services/monitors/monitor-form-schema.ts';
import { defineOperation } from './kit.ts';
import { checkTypesSchema } from './schemas/check-types.ts';

export const listCheckTypes = defineOperation({
  name: 'checks.types.list',
  summary: 'Every check type with its target and options as JSON Schema, and the monitor fields',
  description:
    'For generated forms: a new check type appears here, and so in the dashboard, with no UI code.',
  input: z.object({}).strict(),
  output: checkTypesSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/check-types' },
  cli: ['check-types'],
  mcp: true,
  offline: true,
  run() {
    const items = listChecks().map((check) => ({
      type: check.type,
      description: check.description,
      defaultTimeoutMs: check.defaultTimeoutMs,
      targetSchema: checkTargetJsonSchema(check),
      optionsSchema: checkOptionsJsonSchema(check),
      secrets: Object.entries(check.secretOptions ?? {}).map(([key, masked]) => ({ key, masked })),
      exclusiveOptions: (check.exclusiveOptions ?? []).map((keys) => [...keys]),
    }));
    return Promise.resolve({ items, monitorFields: monitorFieldsJsonSchema() });
  },
});

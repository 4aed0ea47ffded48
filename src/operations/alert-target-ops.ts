import { z } from 'zod';
import { listChannels } from '../alerts/registry.ts';
import {
  createTargetSchema,
  ruleInputSchema,
  targetNameSchema,
  updateTargetSchema,
} from '../services/alert-targets/target-input.ts';
import { defineOperation, need, pageOf } from './kit.ts';
import {
  deleteWithWarnings,
  listWithManagedBy,
  managedWarnings,
  withManagedBy,
} from './managed-warning.ts';
import { deleteOutputSchema } from './schemas/managed.ts';
import {
  alertRuleSchema,
  channelInfoSchema,
  editedTargetSchema,
  managedTargetSchema,
  targetViewSchema,
  testSendResultSchema,
} from './schemas/alert-targets.ts';
import type { OperationServices } from './services.ts';

function targets(services: OperationServices) {
  return need(services.alertTargets, services.unavailableReason);
}

const byName = z.object({ name: targetNameSchema }).strict();

export const listAlertChannels = defineOperation({
  name: 'alerts.channels.list',
  summary: 'Every alert channel type this version has, with its settings’ JSON Schema',
  input: z.object({}).strict(),
  output: pageOf(channelInfoSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/alert-channels' },
  cli: ['alerts', 'channels'],
  mcp: true,
  offline: true,
  run() {
    const items = listChannels().map((channel) => ({
      type: channel.type,
      title: channel.title,
      description: channel.description,
      category: channel.category,
      docsUrl: channel.docsUrl,
      secrets: Object.keys(channel.secrets),
      adminOnly: channel.adminOnly === true,
      settingsSchema: z.toJSONSchema(channel.settingsSchema, {
        io: 'input',
        unrepresentable: 'any',
      }),
    }));
    return Promise.resolve({ items, nextCursor: null });
  },
});

export const listAlertTargets = defineOperation({
  name: 'alerts.targets.list',
  summary: 'Every alert target, secrets masked',
  input: z.object({}).strict(),
  output: pageOf(managedTargetSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/alert-targets' },
  cli: ['alerts', 'target', 'list'],
  mcp: true,
  offline: false,
  async run({ services }) {
    const items = await targets(services).list();
    return {
      items: await listWithManagedBy(services, 'alert-target', items, (t) => t.name),
      nextCursor: null,
    };
  },
});

export const getAlertTarget = defineOperation({
  name: 'alerts.targets.get',
  summary: 'One alert target, secrets masked',
  input: byName,
  output: managedTargetSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/alert-targets/{name}' },
  cli: ['alerts', 'target', 'show'],
  mcp: true,
  offline: false,
  async run({ services }, { name }) {
    return withManagedBy(services, 'alert-target', name, await targets(services).get(name));
  },
});

export const createAlertTarget = defineOperation({
  name: 'alerts.targets.create',
  summary: 'Add a named alert target: a channel type with its settings (and optional template)',
  description:
    'Settings are validated by the channel’s schema (see alerts.channels.list); secrets are ' +
    'stored and never shown again. Command targets need the admin role.',
  input: createTargetSchema,
  output: targetViewSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/alert-targets', status: 201 },
  cli: ['alerts', 'target', 'add'],
  mcp: true,
  offline: false,
  async run({ services, principal }, input) {
    return targets(services).create(input, principal);
  },
});

export const updateAlertTarget = defineOperation({
  name: 'alerts.targets.update',
  summary: 'Change an alert target’s settings (only the keys given) or template',
  input: updateTargetSchema,
  output: editedTargetSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'PATCH', path: '/api/v1/alert-targets/{name}' },
  cli: ['alerts', 'target', 'edit'],
  mcp: true,
  offline: false,
  async run({ services, principal }, input) {
    const updated = await targets(services).update(input, principal);
    return { ...updated, ...(await managedWarnings(services, 'alert-target', updated.name)) };
  },
});

export const deleteAlertTarget = defineOperation({
  name: 'alerts.targets.delete',
  summary: 'Delete an alert target no monitor, rule or node alert routes to (409 otherwise)',
  input: byName,
  output: deleteOutputSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/alert-targets/{name}', status: 204 },
  cli: ['alerts', 'target', 'delete'],
  mcp: true,
  offline: false,
  async run({ services }, { name }) {
    return deleteWithWarnings(services, 'alert-target', name, () => targets(services).remove(name));
  },
});

export const testAlertTarget = defineOperation({
  name: 'alerts.targets.test',
  summary: 'Send a sample alert through a target and return the provider’s answer',
  input: byName,
  output: testSendResultSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/alert-targets/{name}/test', clientWaitMs: 35_000 },
  cli: ['alerts', 'target', 'test'],
  mcp: true,
  offline: false,
  async run({ services }, { name }) {
    return targets(services).test(name);
  },
});

export const listAlertRules = defineOperation({
  name: 'alerts.rules.list',
  summary:
    'Routing rules: which targets every monitor of a group or tag (or any monitor, by default) pages',
  input: z.object({}).strict(),
  output: pageOf(alertRuleSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/alert-rules' },
  cli: ['alerts', 'route', 'list'],
  mcp: true,
  offline: false,
  async run({ services }) {
    return { items: await targets(services).listRules(), nextCursor: null };
  },
});

export const addAlertRule = defineOperation({
  name: 'alerts.rules.add',
  summary: 'Route a group’s or tag’s monitors (or, by default, monitors with no route) to a target',
  description:
    'events narrows what pages (down, regional, recovered, retracted, flapping); repeatEveryMs ' +
    're-pages while the incident is open and unacknowledged; escalateAfterMs makes it an ' +
    'escalation step that pages only after the incident stayed open and unacknowledged that long.',
  input: ruleInputSchema,
  output: alertRuleSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/alert-rules', status: 201 },
  cli: ['alerts', 'route', 'add'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    return targets(services).addRule(input);
  },
});

export const deleteAlertRule = defineOperation({
  name: 'alerts.rules.delete',
  summary: 'Delete a routing rule',
  input: z.object({ id: z.string().min(1).describe('rule id') }).strict(),
  output: deleteOutputSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/alert-rules/{id}', status: 204 },
  cli: ['alerts', 'route', 'delete'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    return deleteWithWarnings(services, 'alert-rule', id, () => targets(services).removeRule(id));
  },
});

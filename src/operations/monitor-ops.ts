import { z } from 'zod';
import { MONITOR_LIMITS } from '../domain/monitor.ts';
import { createMonitorSchema, updateMonitorSchema } from '../services/monitors/monitor-input.ts';
import { CURSORS, readPage } from './cursor.ts';
import {
  deleteWithWarnings,
  listWithManagedBy,
  managedWarnings,
  withManagedBy,
} from './managed-warning.ts';
import { defineOperation, intParam, need, pageOf } from './kit.ts';
import { presentMonitor } from './present.ts';
import { deleteOutputSchema } from './schemas/managed.ts';
import {
  editedMonitorSchema,
  managedMonitorSchema,
  monitorSchema,
  monitorStatusSchema,
} from './schemas/monitors.ts';
import { probeReportSchema } from './schemas/probe.ts';

const monitorId = z.string().min(1).describe('monitor id');
const byId = z.object({ id: monitorId }).strict();

export const listMonitors = defineOperation({
  name: 'monitors.list',
  summary: 'List monitors, filtered by group or tag',
  input: z
    .object({
      group: z.string().min(1).optional(),
      tag: z.string().min(1).optional(),
      cursor: CURSORS.monitors.optional(),
      limit: intParam(1, 10_000).optional().describe('page size (default 500)'),
    })
    .strict(),
  output: pageOf(managedMonitorSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/monitors' },
  cli: ['monitor', 'list'],
  mcp: true,
  offline: true,
  async run({ services }, input) {
    const page = await readPage(
      'monitors',
      input.limit ?? 500,
      (limit) =>
        services.monitors.list({
          ...(input.group !== undefined ? { group: input.group } : {}),
          ...(input.tag !== undefined ? { tag: input.tag } : {}),
          ...(input.cursor !== undefined ? { after: input.cursor } : {}),
          limit,
        }),
      (m) => ({ name: m.name, id: m.id }),
    );
    const items = page.items.map(presentMonitor);
    return {
      items: await listWithManagedBy(services, 'monitor', items, (m) => m.id),
      nextCursor: page.nextCursor,
    };
  },
});

export const getMonitor = defineOperation({
  name: 'monitors.get',
  summary: 'One monitor with its settings (secrets masked)',
  input: byId,
  output: managedMonitorSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/monitors/{id}' },
  cli: ['monitor', 'show'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    return withManagedBy(services, 'monitor', id, presentMonitor(await services.monitors.get(id)));
  },
});

export const createMonitor = defineOperation({
  name: 'monitors.create',
  summary: 'Create a monitor',
  description:
    'Type-specific settings go in `options` (see docs/checks); durations take milliseconds or text like 30s.',
  input: createMonitorSchema,
  output: monitorSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/monitors', status: 201 },
  cli: ['monitor', 'add'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    const create = need(services.monitors.create, services.unavailableReason);
    return presentMonitor(await create(input));
  },
});

export const updateMonitor = defineOperation({
  name: 'monitors.update',
  summary: 'Change some fields of a monitor (options and consensus merge key by key)',
  input: z.object({ id: monitorId, patch: updateMonitorSchema }).strict(),
  output: editedMonitorSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'PATCH', path: '/api/v1/monitors/{id}', bodyField: 'patch' },
  cli: ['monitor', 'edit'],
  mcp: true,
  offline: false,
  async run({ services }, { id, patch }) {
    const update = need(services.monitors.update, services.unavailableReason);
    const updated = presentMonitor(await update(id, patch));
    return { ...updated, ...(await managedWarnings(services, 'monitor', id)) };
  },
});

export const pauseMonitor = defineOperation({
  name: 'monitors.pause',
  summary: 'Stop checking and alerting for a monitor',
  input: byId,
  output: editedMonitorSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/monitors/{id}/pause' },
  cli: ['monitor', 'pause'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    const pause = need(services.monitors.pause, services.unavailableReason);
    const paused = presentMonitor(await pause(id));
    return { ...paused, ...(await managedWarnings(services, 'monitor', id)) };
  },
});

export const resumeMonitor = defineOperation({
  name: 'monitors.resume',
  summary: 'Start checking a paused monitor again',
  input: byId,
  output: editedMonitorSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/monitors/{id}/resume' },
  cli: ['monitor', 'resume'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    const resume = need(services.monitors.resume, services.unavailableReason);
    const resumed = presentMonitor(await resume(id));
    return { ...resumed, ...(await managedWarnings(services, 'monitor', id)) };
  },
});

export const deleteMonitor = defineOperation({
  name: 'monitors.delete',
  summary: 'Delete a monitor with its history (its alert log stays)',
  input: byId,
  output: deleteOutputSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/monitors/{id}', status: 204 },
  cli: ['monitor', 'delete'],
  mcp: false,
  offline: false,
  async run({ services }, { id }) {
    const remove = need(services.monitors.remove, services.unavailableReason);
    return deleteWithWarnings(services, 'monitor', id, () => remove(id));
  },
});

export const monitorStatus = defineOperation({
  name: 'monitors.status',
  summary: 'Every monitor: state, verdict, last check, latency, uptime 24h/7d/30d/90d',
  input: z
    .object({
      group: z.string().min(1).optional(),
      cursor: CURSORS.status.optional(),
      limit: intParam(1, 10_000).optional().describe('page size (default 500)'),
    })
    .strict(),
  output: pageOf(monitorStatusSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/status' },
  cli: ['status'],
  mcp: true,
  offline: true,
  async run({ services }, input) {
    // Monitors in (name, id) order, like `monitors.list`: a page of monitors, then their views.
    return readPage(
      'status',
      input.limit ?? 500,
      (limit) =>
        services.queries.status({
          ...(input.group !== undefined ? { group: input.group } : {}),
          ...(input.cursor !== undefined ? { after: input.cursor } : {}),
          limit,
        }),
      (view) => ({ name: view.name, id: view.id }),
    );
  },
});

export const monitorStatusOf = defineOperation({
  name: 'monitors.status.get',
  summary: "One monitor's status: state, verdict, last check, latency, uptime, node detail",
  input: byId,
  output: monitorStatusSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/monitors/{id}/status' },
  cli: ['monitor', 'status'],
  mcp: true,
  offline: true,
  async run({ services }, input) {
    return services.queries.statusOf(input.id);
  },
});

export const probeMonitor = defineOperation({
  name: 'monitors.probe',
  summary: 'Probe a monitor now with its stored settings, from the nodes that run it',
  description:
    'Runs the monitor’s check as stored (its headers and other secrets included) on every online ' +
    'node its node selector names, and answers once each node answered or its deadline passed. ' +
    'Secrets are masked everywhere in the answer, node errors and messages included.',
  input: byId,
  output: probeReportSchema,
  // It sends the stored credentials to the target: a read-only token may not make it do so.
  access: 'write',
  destructive: false,
  role: 'editor',
  http: {
    method: 'POST',
    path: '/api/v1/monitors/{id}/probe',
    clientWaitMs: MONITOR_LIMITS.maxTimeoutMs + 10_000,
  },
  cli: ['monitor', 'probe'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    const probe = need(services.probe, 'probing needs the running coordinator and its nodes');
    return probe.probeMonitor(await services.monitors.get(id));
  },
});

import { z } from 'zod';
import { maintenanceInputSchema, maintenanceUpdateSchema } from '../services/maintenance-input.ts';
import { defineOperation, need, pageOf } from './kit.ts';
import { maintenanceWindowSchema } from './schemas/maintenance.ts';

const byIdOrName = z
  .object({ id: z.string().min(1).describe('maintenance window id or name') })
  .strict();

export const listMaintenance = defineOperation({
  name: 'maintenance.list',
  summary: 'Maintenance windows with their next occurrence',
  input: z.object({}).strict(),
  output: pageOf(maintenanceWindowSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/maintenance' },
  cli: ['maintenance', 'list'],
  mcp: true,
  offline: true,
  async run({ services }) {
    const maintenance = need(services.maintenance, services.unavailableReason);
    return { items: await maintenance.list(), nextCursor: null };
  },
});

export const getMaintenance = defineOperation({
  name: 'maintenance.get',
  summary: 'One maintenance window (by id or name) with its next occurrence',
  input: byIdOrName,
  output: maintenanceWindowSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/maintenance/{id}' },
  cli: ['maintenance', 'show'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    return need(services.maintenance, services.unavailableReason).get(id);
  },
});

export const createMaintenance = defineOperation({
  name: 'maintenance.create',
  summary: 'Create a maintenance window (one-off or recurring by cron in a time zone)',
  description:
    'Monitors (by id, group or tag) and nodes (by name) in a window keep being checked; incidents ' +
    'opened in it are marked with it, its alerts are recorded suppressed (reason `maintenance`) ' +
    'and its time is left out of uptime. Give `startsAt` + `endsAt`, or `cron` + `durationMs` + ' +
    '`timezone` (see docs/maintenance.md).',
  input: maintenanceInputSchema,
  output: maintenanceWindowSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/maintenance', status: 201 },
  cli: ['maintenance', 'add'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    return need(services.maintenance, services.unavailableReason).create(input);
  },
});

export const updateMaintenance = defineOperation({
  name: 'maintenance.update',
  summary: 'Change a maintenance window (by id or name): only the fields given',
  description:
    'Validated as on create. Lists given replace the lists; schedule fields merge into the ' +
    'schedule of the same kind, and one-off fields (`startsAt`, `endsAt`) on a recurring window ' +
    '(or `cron` on a one-off one) switch its kind; `null` clears `from`, `until` and `reason`.',
  input: maintenanceUpdateSchema,
  output: maintenanceWindowSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'PATCH', path: '/api/v1/maintenance/{id}' },
  cli: ['maintenance', 'edit'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    return need(services.maintenance, services.unavailableReason).update(input);
  },
});

export const deleteMaintenance = defineOperation({
  name: 'maintenance.delete',
  summary: 'Delete a maintenance window (incidents keep the window they opened in)',
  input: byIdOrName,
  output: z.void(),
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/maintenance/{id}', status: 204 },
  cli: ['maintenance', 'delete'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    await need(services.maintenance, services.unavailableReason).remove(id);
  },
});

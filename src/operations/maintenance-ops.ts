import { z } from 'zod';
import { maintenanceInputSchema, maintenanceUpdateSchema } from '../services/maintenance-input.ts';
import { defineOperation, need, pageOf } from './kit.ts';
import {
  deleteWithWarnings,
  listWithManagedBy,
  managedWarnings,
  withManagedBy,
} from './managed-warning.ts';
import {
  editedMaintenanceSchema,
  maintenanceWindowSchema,
  managedMaintenanceSchema,
} from './schemas/maintenance.ts';
import { deleteOutputSchema } from './schemas/managed.ts';
import type { OperationServices } from './services.ts';

const byIdOrName = z
  .object({ id: z.string().min(1).describe('maintenance window id or name') })
  .strict();

function maintenanceOf(services: OperationServices) {
  return need(services.maintenance, services.unavailableReason);
}

export const listMaintenance = defineOperation({
  name: 'maintenance.list',
  summary: 'Maintenance windows with their next occurrence',
  input: z.object({}).strict(),
  output: pageOf(managedMaintenanceSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/maintenance' },
  cli: ['maintenance', 'list'],
  mcp: true,
  offline: true,
  async run({ services }) {
    const items = await maintenanceOf(services).list();
    return {
      items: await listWithManagedBy(services, 'maintenance', items, (w) => w.id),
      nextCursor: null,
    };
  },
});

export const getMaintenance = defineOperation({
  name: 'maintenance.get',
  summary: 'One maintenance window (by id or name) with its next occurrence',
  input: byIdOrName,
  output: managedMaintenanceSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/maintenance/{id}' },
  cli: ['maintenance', 'show'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    const window = await maintenanceOf(services).get(id);
    return withManagedBy(services, 'maintenance', window.id, window);
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
  output: editedMaintenanceSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'PATCH', path: '/api/v1/maintenance/{id}' },
  cli: ['maintenance', 'edit'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    const updated = await maintenanceOf(services).update(input);
    return { ...updated, ...(await managedWarnings(services, 'maintenance', updated.id)) };
  },
});

export const deleteMaintenance = defineOperation({
  name: 'maintenance.delete',
  summary: 'Delete a maintenance window (incidents keep the window they opened in)',
  input: byIdOrName,
  output: deleteOutputSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/maintenance/{id}', status: 204 },
  cli: ['maintenance', 'delete'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    // By id or name: the record is kept under the id.
    const maintenance = maintenanceOf(services);
    const window = await maintenance.get(id);
    return deleteWithWarnings(services, 'maintenance', window.id, () =>
      maintenance.remove(window.id),
    );
  },
});

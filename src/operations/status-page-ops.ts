import { z } from 'zod';
import {
  statusPageCreateSchema,
  statusPagePatchSchema,
} from '../services/status-pages/status-page-input.ts';
import { defineOperation, need, pageOf } from './kit.ts';
import {
  deleteWithWarnings,
  listWithManagedBy,
  managedWarnings,
  withManagedBy,
} from './managed-warning.ts';
import { deleteOutputSchema } from './schemas/managed.ts';
import {
  editedStatusPageSchema,
  managedStatusPageSchema,
  statusPageSchema,
} from './schemas/status-pages.ts';
import type { OperationServices } from './services.ts';

const idOrSlug = z.string().min(1).describe('status page id or slug');

function pagesOf(services: OperationServices) {
  return need(services.statusPages, services.unavailableReason);
}

export const listStatusPages = defineOperation({
  name: 'statuspages.list',
  summary: 'Public status pages',
  input: z.object({}).strict(),
  output: pageOf(managedStatusPageSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/status-pages' },
  cli: ['status-page', 'list'],
  mcp: true,
  offline: false,
  async run({ services }) {
    const items = await pagesOf(services).list();
    return {
      items: await listWithManagedBy(services, 'status-page', items, (p) => p.id),
      nextCursor: null,
    };
  },
});

export const getStatusPage = defineOperation({
  name: 'statuspages.get',
  summary: 'One status page (by id or slug)',
  input: z.object({ id: idOrSlug }).strict(),
  output: managedStatusPageSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/status-pages/{id}' },
  cli: ['status-page', 'show'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    const page = await pagesOf(services).get(id);
    return withManagedBy(services, 'status-page', page.id, page);
  },
});

export const createStatusPage = defineOperation({
  name: 'statuspages.create',
  summary: 'Create a public status page',
  description:
    'Served without login at /status/<slug> (and at / of each custom domain, matched by the ' +
    'Host header), with RSS/Atom feeds, summary.json and badges for its monitors. Shows no node ' +
    'names, errors or targets unless `showDetails` is true (see docs/status-pages.md).',
  input: statusPageCreateSchema,
  output: statusPageSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/status-pages', status: 201 },
  cli: ['status-page', 'add'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    return need(services.statusPages, services.unavailableReason).create(input);
  },
});

export const updateStatusPage = defineOperation({
  name: 'statuspages.update',
  summary: 'Change a status page: every field given replaces the stored one',
  input: statusPagePatchSchema.extend({ id: idOrSlug }).strict(),
  output: editedStatusPageSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'PATCH', path: '/api/v1/status-pages/{id}' },
  cli: ['status-page', 'edit'],
  mcp: true,
  offline: false,
  async run({ services }, { id, ...patch }) {
    const updated = await pagesOf(services).update(id, patch);
    return { ...updated, ...(await managedWarnings(services, 'status-page', updated.id)) };
  },
});

export const deleteStatusPage = defineOperation({
  name: 'statuspages.delete',
  summary: 'Delete a status page (its URL, feeds and badges answer 404 from then)',
  input: z.object({ id: idOrSlug }).strict(),
  output: deleteOutputSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/status-pages/{id}', status: 204 },
  cli: ['status-page', 'delete'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    // By id or slug: the record is kept under the id.
    const pages = pagesOf(services);
    const page = await pages.get(id);
    return deleteWithWarnings(services, 'status-page', page.id, () => pages.remove(page.id));
  },
});

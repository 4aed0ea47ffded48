import { z } from 'zod';
import {
  statusPageCreateSchema,
  statusPagePatchSchema,
} from '../services/status-pages/status-page-input.ts';
import { defineOperation, need, pageOf } from './kit.ts';
import { statusPageSchema } from './schemas/status-pages.ts';

const idOrSlug = z.string().min(1).describe('status page id or slug');

export const listStatusPages = defineOperation({
  name: 'statuspages.list',
  summary: 'Public status pages',
  input: z.object({}).strict(),
  output: pageOf(statusPageSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/status-pages' },
  cli: ['status-page', 'list'],
  mcp: true,
  offline: false,
  async run({ services }) {
    const pages = need(services.statusPages, services.unavailableReason);
    return { items: await pages.list(), nextCursor: null };
  },
});

export const getStatusPage = defineOperation({
  name: 'statuspages.get',
  summary: 'One status page (by id or slug)',
  input: z.object({ id: idOrSlug }).strict(),
  output: statusPageSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/status-pages/{id}' },
  cli: ['status-page', 'show'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    return need(services.statusPages, services.unavailableReason).get(id);
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
  output: statusPageSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'PATCH', path: '/api/v1/status-pages/{id}' },
  cli: ['status-page', 'edit'],
  mcp: true,
  offline: false,
  async run({ services }, { id, ...patch }) {
    return need(services.statusPages, services.unavailableReason).update(id, patch);
  },
});

export const deleteStatusPage = defineOperation({
  name: 'statuspages.delete',
  summary: 'Delete a status page (its URL, feeds and badges answer 404 from then)',
  input: z.object({ id: idOrSlug }).strict(),
  output: z.void(),
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'DELETE', path: '/api/v1/status-pages/{id}', status: 204 },
  cli: ['status-page', 'delete'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    await need(services.statusPages, services.unavailableReason).remove(id);
  },
});

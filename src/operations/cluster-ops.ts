import { z } from 'zod';
import { MONITOR_LIMITS } from '../domain/monitor.ts';
import { joinTokenInput, nodeAlertsInput } from '../services/cluster/cluster-service.ts';
import { probeInputSchema } from '../services/probe-service.ts';
import { defineOperation, need, pageOf } from './kit.ts';
import { alertRouteSchema } from './schemas/alerts.ts';
import { healthSchema } from './schemas/health.ts';
import { clusterOverviewSchema, nodeDetailSchema, nodeViewSchema } from './schemas/nodes.ts';
import { probeReportSchema } from './schemas/probe.ts';

const nodeId = z.object({ id: z.string().min(1).describe('node id') }).strict();

export const health = defineOperation({
  name: 'system.health',
  summary: 'This node: version, uptime, data dir, database size, monitors, checks per second',
  input: z.object({}).strict(),
  output: healthSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/health' },
  cli: ['health'],
  mcp: true,
  offline: true,
  async run({ services }) {
    return services.health.health();
  },
});

export const listNodes = defineOperation({
  name: 'nodes.list',
  summary: 'Every node with its region, state, health and last heartbeat',
  input: z.object({}).strict(),
  output: pageOf(nodeViewSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/nodes' },
  cli: ['node', 'list'],
  mcp: true,
  offline: true,
  async run({ services }) {
    // A cluster has at most hundreds of nodes: one page.
    return { items: await services.cluster.listNodes(), nextCursor: null };
  },
});

export const getNode = defineOperation({
  name: 'nodes.get',
  summary: 'One node: facts, membership history, its unconfirmed failures of the last day',
  input: nodeId,
  output: nodeDetailSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/nodes/{id}' },
  cli: ['node', 'show'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    return services.cluster.getNode(id);
  },
});

export const removeNode = defineOperation({
  name: 'nodes.remove',
  summary: 'Remove a node: its certificate and operator token are revoked',
  input: nodeId,
  output: nodeViewSchema,
  access: 'write',
  destructive: true,
  role: 'admin',
  http: { method: 'DELETE', path: '/api/v1/nodes/{id}' },
  cli: ['node', 'remove'],
  mcp: false,
  offline: false,
  async run({ services }, { id }) {
    return need(services.cluster.removeNode, services.unavailableReason)(id);
  },
});

export const clusterOverview = defineOperation({
  name: 'cluster.overview',
  summary: 'The cluster as this coordinator sees it: its peer address, nodes by state',
  input: z.object({}).strict(),
  output: clusterOverviewSchema.nullable(),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/cluster' },
  cli: ['status'],
  mcp: false,
  offline: true,
  async run({ services }) {
    return services.cluster.overview();
  },
});

export const createJoinToken = defineOperation({
  name: 'cluster.joinTokens.create',
  summary:
    'A single-use token that lets one agent (or, kind coordinator, another coordinator) join this cluster',
  input: joinTokenInput,
  output: z.object({ token: z.string(), tokenId: z.string(), expiresAt: z.number() }),
  access: 'write',
  destructive: false,
  role: 'admin',
  http: { method: 'POST', path: '/api/v1/cluster/join-tokens', status: 201 },
  cli: ['join-token'],
  mcp: false,
  offline: false,
  async run({ services }, input) {
    return need(services.cluster.createJoinToken, services.unavailableReason)(input);
  },
});

export const nodeAlertRoutes = defineOperation({
  name: 'cluster.alerts.get',
  summary: 'Where node alerts go (a node missing, back online, impaired)',
  input: z.object({}).strict(),
  output: z.object({ alerts: z.array(alertRouteSchema) }),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/cluster/alerts' },
  cli: ['node', 'alerts'],
  mcp: false,
  offline: true,
  async run({ services }) {
    return { alerts: await services.cluster.nodeAlertRoutes() };
  },
});

export const setNodeAlertRoutes = defineOperation({
  name: 'cluster.alerts.set',
  summary: 'Replace where node alerts go',
  input: nodeAlertsInput,
  output: z.object({ alerts: z.array(alertRouteSchema) }),
  access: 'write',
  destructive: false,
  role: 'admin',
  http: { method: 'PUT', path: '/api/v1/cluster/alerts' },
  cli: ['node', 'alerts'],
  mcp: false,
  offline: false,
  async run({ services }, input) {
    const set = need(services.cluster.setNodeAlertRoutes, services.unavailableReason);
    return { alerts: await set(input) };
  },
});

export const probe = defineOperation({
  name: 'probe.run',
  summary: 'Is it down for everyone? Run one check now on every online node',
  description:
    'Answers once every node answered or its deadline passed: each node’s outcome and evidence, and the verdict.',
  input: probeInputSchema,
  output: probeReportSchema,
  access: 'read',
  destructive: false,
  role: 'editor',
  // The daemon answers once every node answered or its deadline passed; wait a little longer.
  http: {
    method: 'POST',
    path: '/api/v1/probe',
    clientWaitMs: MONITOR_LIMITS.maxTimeoutMs + 10_000,
  },
  cli: ['probe'],
  mcp: true,
  offline: false,
  async run({ services }, input) {
    return need(services.probe, 'probing needs the running coordinator and its nodes').probe(input);
  },
});

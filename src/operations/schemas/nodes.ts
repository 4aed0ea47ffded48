import { z } from 'zod';
import type { NodeEvent } from '../../domain/node.ts';
import { MEMBERSHIP_STATES } from '../../domain/node.ts';
import type { NodeRef } from '../../services/consensus-views.ts';
import type {
  ClusterOverview,
  ClusterService,
  NodeAnomaly,
  NodeView,
} from '../../services/cluster/cluster-service.ts';
import type { Agreement, Expect } from './agreement.ts';
import { epochMs } from './results.ts';

/** A node as views name it. */
export const nodeRefSchema = z.object({
  id: z.string(),
  name: z.string().describe('the node id when the node is no longer known'),
  region: z.string().nullable(),
});

const membershipState = z
  .enum(MEMBERSHIP_STATES)
  .describe(
    'online: heartbeats arrive; grace: one missed or the channel dropped; missing: grace ran out',
  );

const canariesSchema = z
  .object({ total: z.number().int().min(0), failing: z.number().int().min(0) })
  .describe("the node's canaries as its last heartbeat reported them; null when not connected");

/** A cluster node: stored facts plus the live membership state and canaries. */
export const nodeViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['coordinator', 'agent']),
  region: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  version: z.string().describe('Crosscheck version the node last reported'),
  certNotAfter: epochMs,
  enrolledAt: epochMs,
  lastSeen: epochMs.nullable().describe('last heartbeat or message; null before the first'),
  state: membershipState,
  stateSince: epochMs,
  clockOffsetMs: z
    .number()
    .nullable()
    .describe("the node's clock minus the coordinator's (positive: the node runs ahead)"),
  checksPerSecond: z.number().nullable(),
  outboxBacklog: z
    .number()
    .int()
    .nullable()
    .describe("results waiting in the node's outbox at its last heartbeat"),
  remoteAddress: z.string().nullable().describe('where its channel came from'),
  impairedSince: epochMs
    .nullable()
    .describe('when the node was judged impaired (its votes set aside); null while healthy'),
  canaries: canariesSchema.nullable(),
  lease: z
    .object({ epoch: z.number().int(), since: epochMs })
    .nullable()
    .describe(
      'set on the coordinator holding the leader lease (it runs ingest, rounds and alerting): its epoch and since when; shown by a running coordinator',
    ),
});

const nodeEventState = z.enum([...MEMBERSHIP_STATES, 'removed', 'impaired', 'healthy']);

/** One membership or health transition of a node. */
export const nodeEventSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  at: epochMs,
  from: nodeEventState.nullable(),
  to: nodeEventState,
});

/** A round of the last day in which this node alone saw a monitor fail (a local verdict). */
export const nodeAnomalySchema = z.object({
  roundId: z.string(),
  monitorId: z.string(),
  decidedAt: epochMs,
  message: z.string().describe("the node's vote message"),
});

/** One node with its membership history (newest first) and its last day's local failures. */
export const nodeDetailSchema = z.object({
  node: nodeViewSchema,
  events: z.array(nodeEventSchema),
  anomalies: z.array(nodeAnomalySchema),
});

/** The cluster at a glance. */
export const clusterOverviewSchema = z.object({
  coordinator: z.object({ id: z.string(), name: z.string() }),
  nodes: z
    .object({
      online: z.number().int().min(0),
      grace: z.number().int().min(0),
      missing: z.number().int().min(0),
      total: z.number().int().min(0),
    })
    .describe('node counts by membership state'),
  regions: z.array(
    z.object({
      region: z.string().nullable(),
      total: z.number().int().min(0),
      online: z.number().int().min(0),
    }),
  ),
});

type NodeDetail = Awaited<ReturnType<ClusterService['getNode']>>;

export type NodeRefAgrees = Expect<Agreement<typeof nodeRefSchema, NodeRef>>;
export type NodeViewAgrees = Expect<Agreement<typeof nodeViewSchema, NodeView>>;
export type NodeEventAgrees = Expect<Agreement<typeof nodeEventSchema, NodeEvent>>;
export type NodeAnomalyAgrees = Expect<Agreement<typeof nodeAnomalySchema, NodeAnomaly>>;
export type NodeDetailAgrees = Expect<Agreement<typeof nodeDetailSchema, NodeDetail>>;
export type ClusterOverviewAgrees = Expect<
  Agreement<typeof clusterOverviewSchema, ClusterOverview>
>;

import { z } from 'zod';
import type { HealthView } from '../../services/health-service.ts';
import type { Agreement, Expect } from './agreement.ts';
import { epochMs } from './results.ts';

const count = z.number().int().min(0);
const bytes = z.number().int().min(0);

/** Live figures only a running daemon has. */
const runtimeSchema = z.object({
  pid: z.number().int(),
  nodeId: z.string(),
  startedAt: epochMs,
  checksPerSecond: z.number().min(0),
  scheduler: z.object({ jobs: count, inFlight: count, queued: count, runsSkipped: count }),
  ingest: z.object({
    pending: count,
    dropped: count,
    limit: count.exactOptional().describe('coordinator: most results held in memory'),
    waiting: count
      .exactOptional()
      .describe("coordinator: agents' results refused at the limit, kept in their outboxes"),
  }),
  memory: z.object({ rssBytes: bytes, heapUsedBytes: bytes, externalBytes: bytes }),
});

/** This node's place in the cluster; the optional parts depend on its role. */
const clusterHealthSchema = z.object({
  role: z.enum(['coordinator', 'agent']),
  nodeId: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  peerAddress: z.string().exactOptional().describe('coordinator: the peer address it listens on'),
  coordinator: z
    .object({
      address: z.string(),
      name: z.string(),
      connected: z.boolean(),
      clockOffsetMs: z.number().nullable(),
    })
    .exactOptional()
    .describe('agent: its coordinator and whether the channel is up'),
  outbox: z
    .object({
      backlog: count,
      dropped: count,
      heldInMemory: count
        .exactOptional()
        .describe('results a failed outbox write (a full disk) holds in memory for retry'),
    })
    .exactOptional()
    .describe("agent: results waiting for the coordinator's acknowledgement"),
  resultsProduced: count
    .exactOptional()
    .describe('agent: results this process wrote to its outbox since it started'),
  canaries: z
    .object({ total: count, failing: count })
    .exactOptional()
    .describe("this node's canaries: how many it runs and how many fail now"),
  suspects: count.exactOptional().describe("monitors this node's own results hold suspect now"),
});

/** The raw window and the storage budget that may shorten it. */
const storageHealthSchema = z.object({
  budgetBytes: bytes.nullable().describe('--storage-budget in bytes; null when none is set'),
  configuredRawWindowMs: z.number().min(0).describe('--retain-results'),
  rawWindowMs: z
    .number()
    .min(0)
    .describe('the raw-results window the last prune pass used (the configured one before it)'),
  floorMs: z.number().min(0).describe('the budget never shrinks the window below this'),
  limitedBy: z
    .enum(['retention', 'budget', 'floor', 'unmeasured'])
    .nullable()
    .describe('what set the window at the last measurement; null before it or with no budget'),
  overBudget: z.boolean().describe('even the floor does not fit: the database outgrows the budget'),
  usedBytes: bytes
    .nullable()
    .describe('bytes of pages in use plus the WAL at the last measurement'),
  bytesPerResult: z.number().min(0).nullable().describe('bytes one raw result costs'),
  measuredAt: epochMs.nullable(),
});

/** What `crosscheck health` prints. */
export const healthSchema = z.object({
  version: z.string(),
  running: z.boolean().describe('a daemon runs (false: the store read offline)'),
  dataDir: z.string(),
  database: z
    .object({ path: z.string(), sizeBytes: bytes })
    .nullable()
    .describe('null on an agent, which keeps no database'),
  monitors: z.object({ total: count, active: count, paused: count }),
  results: count.nullable(),
  openIncidents: count.nullable(),
  uptimeMs: z.number().min(0).nullable().describe('how long the daemon has run'),
  checksPerSecond: z.number().min(0).nullable(),
  runtime: runtimeSchema.nullable(),
  cluster: clusterHealthSchema
    .nullable()
    .describe('null when the data dir was never initialised as a cluster node'),
  storage: storageHealthSchema
    .nullable()
    .describe('a running coordinator: the raw-results window and --storage-budget'),
});

export type HealthAgrees = Expect<Agreement<typeof healthSchema, HealthView>>;

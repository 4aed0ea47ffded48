/**
 * What the failover soak verifies, apart from the cluster it runs: pages counted per monitor
 * and outage from the webhook receiver's record, the lease watched on the surviving
 * coordinators, and every agent's results counted in PostgreSQL against what the agent says
 * it produced.
 */
import pg from 'pg';
import type { ReceivedRequest } from '../../test/helpers/webhook-receiver.ts';
import type { HaCluster, HaNode } from './ha-cluster.ts';
import { sleep } from './time-bounds.ts';

/** Pages of one outage window: per monitor `down` and `recovered`, and node alerts. */
export interface PageCount {
  down: Map<string, number>;
  recovered: Map<string, number>;
  nodeMissing: number;
  other: string[];
}

interface AlertBody {
  kind?: unknown;
  monitor?: { id?: unknown };
}

/** Counts the pages in `requests` (one outage's window) by kind and monitor. */
export function countPages(requests: readonly ReceivedRequest[]): PageCount {
  const count: PageCount = { down: new Map(), recovered: new Map(), nodeMissing: 0, other: [] };
  for (const request of requests) {
    const body = (request.json ?? {}) as AlertBody;
    const kind = typeof body.kind === 'string' ? body.kind : 'unparsed';
    const monitor = typeof body.monitor?.id === 'string' ? body.monitor.id : '';
    if (kind === 'down' || kind === 'recovered') {
      const into = count[kind];
      into.set(monitor, (into.get(monitor) ?? 0) + 1);
    } else if (kind === 'node-missing') count.nodeMissing++;
    else count.other.push(kind);
  }
  return count;
}

/** The violations of one outage: anything but one `down` and one `recovered` per monitor. */
export function pageViolations(count: PageCount, monitorIds: readonly string[]): string[] {
  const problems: string[] = [];
  for (const id of monitorIds) {
    const down = count.down.get(id) ?? 0;
    const recovered = count.recovered.get(id) ?? 0;
    if (down !== 1) problems.push(`${id}: ${down} down pages`);
    if (recovered !== 1) problems.push(`${id}: ${recovered} recovered pages`);
  }
  if (count.nodeMissing > 0) problems.push(`${count.nodeMissing} node-missing pages`);
  return problems;
}

/** Which coordinator took over, under which epoch, and when it was first seen leading. */
export interface Takeover {
  node: HaNode;
  epoch: number;
  seenAt: number;
}

/**
 * Polls every running coordinator's health every 100 ms until one reports holding the lease;
 * undefined after `timeoutMs`. A coordinator that does not answer in time is skipped for that
 * poll (under load an answer can take longer than a poll period).
 */
export async function watchTakeover(
  cluster: HaCluster,
  timeoutMs: number,
): Promise<Takeover | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const polled = Date.now();
    const survivors = cluster.coordinators.filter((node) => node.child);
    const answers = await Promise.all(
      survivors.map((node) =>
        cluster.health(node, 1_000).then(
          (health) => ({ node, lease: health.cluster?.lease }),
          () => undefined,
        ),
      ),
    );
    const leading = answers.find((answer) => answer?.lease?.leading === true);
    const epoch = leading?.lease?.holder?.epoch;
    if (leading && epoch !== undefined) return { node: leading.node, epoch, seenAt: Date.now() };
    await sleep(Math.max(0, 100 - (Date.now() - polled)));
  }
  return undefined;
}

/** One agent's results: produced by its process, stored in PostgreSQL, distinct ids among them. */
export interface AgentTally {
  name: string;
  nodeId: string;
  produced: number;
  stored: number;
  distinctIds: number;
}

/**
 * Waits (bounded) until every agent's outbox is empty and its produced count stands still for
 * three seconds (the monitors are paused first by the caller), then counts what PostgreSQL
 * holds per agent.
 */
export async function tallyAgentResults(
  cluster: HaCluster,
  timeoutMs = 120_000,
): Promise<AgentTally[]> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  let steadySince = Date.now();
  let last: { node: HaNode; nodeId: string; produced: number; backlog: number }[] = [];
  while (Date.now() < deadline) {
    last = await Promise.all(
      cluster.agents.map(async (node) => {
        const health = await cluster.health(node, 5_000);
        return {
          node,
          nodeId: health.cluster?.nodeId ?? '',
          produced: health.cluster?.resultsProduced ?? -1,
          backlog: health.cluster?.outbox?.backlog ?? -1,
        };
      }),
    );
    const key = last.map((a) => `${a.produced}/${a.backlog}`).join(',');
    if (key !== previous) {
      previous = key;
      steadySince = Date.now();
    } else if (last.every((a) => a.backlog === 0) && Date.now() - steadySince >= 3_000) break;
    await sleep(500);
  }
  if (!last.every((a) => a.backlog === 0))
    throw new Error(`agent outboxes not drained within ${timeoutMs} ms: ${previous}`);
  const stored = await storedPerNode(cluster.databaseUrl);
  return last.map((a) => ({
    name: a.node.name,
    nodeId: a.nodeId,
    produced: a.produced,
    stored: stored.get(a.nodeId)?.rows ?? 0,
    distinctIds: stored.get(a.nodeId)?.ids ?? 0,
  }));
}

/** Rows and distinct result ids per node id, read straight from the shared database. */
async function storedPerNode(url: string): Promise<Map<string, { rows: number; ids: number }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ node_id: string; rows: string; ids: string }>(
      `select n.node_id, count(*) as rows, count(distinct r.id) as ids
         from raw_results r join node_keys n on n.key = r.node_key
        group by n.node_id`,
    );
    return new Map(
      rows.map((row) => [row.node_id, { rows: Number(row.rows), ids: Number(row.ids) }]),
    );
  } finally {
    await client.end();
  }
}

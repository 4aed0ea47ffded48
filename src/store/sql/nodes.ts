import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type {
  ClusterNode,
  NodeEvent,
  NodeEventState,
  NodeRole,
  StoredJoinToken,
} from '../../domain/node.ts';
import { JOIN_TOKEN_KINDS, MEMBERSHIP_STATES } from '../../domain/node.ts';
import type { AlertDelivery } from '../../domain/alert.ts';
import { AppError } from '../../lib/errors.ts';
import { insertDeliveries } from './deliveries.ts';
import type { NodeStateChange, NodeStatusUpdate } from '../types.ts';
import { corrupt, isRecord, parseJsonObject } from './json-column.ts';
import type { Database, JoinTokensTable, NodeEventsTable, NodesTable } from './schema.ts';

const ROLES: readonly NodeRole[] = ['coordinator', 'agent'];
const OPERATOR_ROLES = ['viewer', 'editor', 'admin'] as const;
const EVENT_STATES: readonly NodeEventState[] = [
  ...MEMBERSHIP_STATES,
  'removed',
  'impaired',
  'healthy',
];

function oneOf<T extends string>(value: string, allowed: readonly T[], column: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw corrupt({ table: 'nodes', column }, `unexpected value ${JSON.stringify(value)}`);
}

function nodeToRow(n: ClusterNode): Insertable<NodesTable> {
  return {
    id: n.id,
    name: n.name,
    role: n.role,
    region: n.region,
    labels: JSON.stringify(n.labels),
    version: n.version,
    cert_serial: n.certSerial,
    cert_not_after: n.certNotAfter,
    enrolled_at: n.enrolledAt,
    last_seen: n.lastSeen,
    state: n.state,
    state_since: n.stateSince,
    clock_offset_ms: n.clockOffsetMs,
    checks_per_second: n.checksPerSecond,
    outbox_backlog: n.outboxBacklog,
    remote_address: n.remoteAddress,
    removed_at: n.removedAt,
    impaired_since: n.impairedSince,
    peer_address: n.peerAddress ?? null,
  };
}

function rowToNode(row: Selectable<NodesTable>): ClusterNode {
  const labels = parseJsonObject(row.labels, { table: 'nodes', column: 'labels' });
  if (!isRecord(labels) || !Object.values(labels).every((v) => typeof v === 'string'))
    throw corrupt({ table: 'nodes', column: 'labels' }, 'expected string labels');
  return {
    id: row.id,
    name: row.name,
    role: oneOf(row.role, ROLES, 'role'),
    region: row.region,
    labels: labels as Record<string, string>,
    version: row.version,
    certSerial: row.cert_serial,
    certNotAfter: Number(row.cert_not_after),
    enrolledAt: Number(row.enrolled_at),
    lastSeen: row.last_seen === null ? null : Number(row.last_seen),
    state: oneOf(row.state, MEMBERSHIP_STATES, 'state'),
    stateSince: Number(row.state_since),
    clockOffsetMs: row.clock_offset_ms,
    checksPerSecond: row.checks_per_second,
    outboxBacklog: row.outbox_backlog === null ? null : Number(row.outbox_backlog),
    remoteAddress: row.remote_address,
    removedAt: row.removed_at === null ? null : Number(row.removed_at),
    impairedSince: row.impaired_since === null ? null : Number(row.impaired_since),
    ...(row.peer_address === null ? {} : { peerAddress: row.peer_address }),
  };
}

function rowToEvent(row: Selectable<NodeEventsTable>): NodeEvent {
  return {
    id: row.id,
    nodeId: row.node_id,
    at: Number(row.at),
    from: row.from_state === null ? null : oneOf(row.from_state, EVENT_STATES, 'from'),
    to: oneOf(row.to_state, EVENT_STATES, 'to'),
  };
}

function rowToToken(row: Selectable<JoinTokensTable>): StoredJoinToken {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
    usedByNode: row.used_by_node,
    ...(row.operator_role === null
      ? {}
      : { operatorRole: oneOf(row.operator_role, OPERATOR_ROLES, 'operator_role') }),
    kind: oneOf(row.kind, JOIN_TOKEN_KINDS, 'kind'),
  };
}

async function assertNameFree(db: Kysely<Database>, name: string): Promise<void> {
  const taken = await db
    .selectFrom('nodes')
    .select('id')
    .where('name', '=', name)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (taken !== undefined)
    throw new AppError('CONFLICT', `a node named ${name} is already enrolled (${taken.id})`);
}

/** Inserts a node (the coordinator registers itself this way); CONFLICT on a taken name or id. */
export async function insertNode(db: Kysely<Database>, node: ClusterNode): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('nodes')
      .select('id')
      .where('id', '=', node.id)
      .executeTakeFirst();
    if (existing !== undefined) throw new AppError('CONFLICT', `node ${node.id} already exists`);
    await assertNameFree(trx, node.name);
    await trx.insertInto('nodes').values(nodeToRow(node)).execute();
  });
}

/**
 * Consumes a join token and inserts the node in one transaction: a token that was used
 * meanwhile, or a taken name, leaves both the token and the node table unchanged.
 */
export async function enrolNode(
  db: Kysely<Database>,
  tokenId: string,
  node: ClusterNode,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await assertNameFree(trx, node.name);
    const used = await trx
      .updateTable('join_tokens')
      .set({ used_at: node.enrolledAt, used_by_node: node.id })
      .where('id', '=', tokenId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0)
      throw new AppError('CONFLICT', 'this join token has already been used');
    await trx.insertInto('nodes').values(nodeToRow(node)).execute();
  });
}

/** One node by id (removed nodes included). */
export async function getNode(db: Kysely<Database>, id: string): Promise<ClusterNode | undefined> {
  const row = await db.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToNode(row);
}

/** Nodes ordered by name; removed nodes only when asked. */
export async function listNodes(
  db: Kysely<Database>,
  includeRemoved: boolean,
): Promise<ClusterNode[]> {
  let query = db.selectFrom('nodes').selectAll().orderBy('name').orderBy('id');
  if (!includeRemoved) query = query.where('removed_at', 'is', null);
  return (await query.execute()).map(rowToNode);
}

/** Heartbeat figures; unknown or removed nodes are ignored. */
export async function updateNodeStatus(
  db: Kysely<Database>,
  id: string,
  update: NodeStatusUpdate,
): Promise<void> {
  await db
    .updateTable('nodes')
    .set({
      last_seen: update.lastSeen,
      ...(update.version === undefined ? {} : { version: update.version }),
      ...(update.clockOffsetMs === undefined ? {} : { clock_offset_ms: update.clockOffsetMs }),
      ...(update.checksPerSecond === undefined
        ? {}
        : { checks_per_second: update.checksPerSecond }),
      ...(update.outboxBacklog === undefined ? {} : { outbox_backlog: update.outboxBacklog }),
      ...(update.remoteAddress === undefined ? {} : { remote_address: update.remoteAddress }),
    })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .execute();
}

/** Records a node's advertised peer address (null clears it); unknown or removed nodes are ignored. */
export async function setNodePeerAddress(
  db: Kysely<Database>,
  id: string,
  address: string | null,
): Promise<void> {
  await db
    .updateTable('nodes')
    .set({ peer_address: address })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .execute();
}

/** Applies membership transitions and records each as a node event, in the caller's transaction. */
export async function applyNodeStateChanges(
  trx: Transaction<Database>,
  changes: readonly NodeStateChange[],
  alerts: readonly AlertDelivery[],
): Promise<void> {
  for (const c of changes) {
    const updated = await trx
      .updateTable('nodes')
      .set({ state: c.to, state_since: c.at })
      .where('id', '=', c.nodeId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) continue;
    await trx
      .insertInto('node_events')
      .values({ id: c.eventId, node_id: c.nodeId, at: c.at, from_state: c.from, to_state: c.to })
      .execute();
  }
  await insertDeliveries(trx, alerts);
}

/** Marks a node removed (its certificate joins the revocation list); NOT_FOUND when absent. */
export async function removeNode(
  db: Kysely<Database>,
  id: string,
  at: number,
  eventId: string,
): Promise<ClusterNode> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined || row.removed_at !== null)
      throw new AppError('NOT_FOUND', `node ${id} not found`);
    const node = rowToNode(row);
    if (node.role === 'coordinator' && (await activeCoordinators(trx)) <= 1)
      throw new AppError(
        'CONFLICT',
        'the last coordinator cannot be removed: the cluster would have nobody to run it',
      );
    await trx.updateTable('nodes').set({ removed_at: at }).where('id', '=', id).execute();
    await trx
      .insertInto('node_events')
      .values({ id: eventId, node_id: id, at, from_state: node.state, to_state: 'removed' })
      .execute();
    return { ...node, removedAt: at };
  });
}

/** Coordinators not removed: with several on one database, any but the last may go. */
async function activeCoordinators(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('nodes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'coordinator')
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Newest first. */
export async function listNodeEvents(
  db: Kysely<Database>,
  nodeId: string,
  limit: number,
): Promise<NodeEvent[]> {
  const rows = await db
    .selectFrom('node_events')
    .selectAll()
    .where('node_id', '=', nodeId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToEvent);
}

/** Stores a new join token (hash only). */
export async function insertJoinToken(db: Kysely<Database>, t: StoredJoinToken): Promise<void> {
  await db
    .insertInto('join_tokens')
    .values({
      id: t.id,
      secret_hash: t.secretHash,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
      used_at: t.usedAt,
      used_by_node: t.usedByNode,
      operator_role: t.operatorRole ?? null,
      kind: t.kind ?? 'agent',
    })
    .execute();
}

/** A join token by id. */
export async function getJoinToken(
  db: Kysely<Database>,
  id: string,
): Promise<StoredJoinToken | undefined> {
  const row = await db
    .selectFrom('join_tokens')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToToken(row);
}

import type { LeaderLease, LeaseEvents } from '../cluster/lease/types.ts';
import { createLeaseFence } from '../cluster/lease/fence.ts';
import { createSqliteLease } from '../cluster/lease/sqlite-lease.ts';
import type { PostgresDatabase } from '../config/database-config.ts';
import { parseListenAddress } from '../config/node-config.ts';
import type { Logger } from '../observability/logger.ts';
import { composeCoordinator } from './coordinator-composition.ts';
import type { CoordinatorPlane } from './coordinator-composition.ts';
import { openCoordinatorDatabase } from './coordinator-database.ts';
import { createPlaneSwitch } from './coordinator-plane-switch.ts';
import { advertisedPeerAddress } from './advertised-address.ts';
import { fixedPorts } from './fixed-ports.ts';
import { leaseHolderView } from './lease-holder.ts';
import type { NodeContext, RunningNode } from './node-context.ts';

/**
 * The coordinator (ADR 0012): its database, its leader lease, and the composition of its planes,
 * rebuilt whole when the lease changes hands. On SQLite the lease is held from start to stop.
 */
export async function startCoordinator(ctx: NodeContext): Promise<RunningNode> {
  const { identity, clock } = ctx;
  const nodeId = identity.nodeId;
  const log = ctx.logger.child({ nodeId });
  const postgres = ctx.database?.kind === 'postgres' ? ctx.database : null;
  // Every composition must bind the same ports: agents and clients know this coordinator by them.
  const config = postgres === null ? ctx.config : await fixedPorts(ctx.config, identity);
  const composing: NodeContext = { ...ctx, config };
  const database = await openCoordinatorDatabase(ctx, log);
  // The lease's events arrive once it starts, below, when the switch exists.
  const events: LeaseEvents = {
    acquired: (epoch) => planes.want({ leading: true, epoch }),
    lost: () => planes.want({ leading: false }),
  };
  const lease =
    postgres === null
      ? createSqliteLease({ events, now: () => clock.now(), self: nodeId })
      : await postgresLease(composing, postgres, events, log);
  const shared = {
    database,
    log,
    startedAt: clock.now(),
    leaseHolder: leaseHolderView({
      store: database.store,
      lease,
      self: nodeId,
      now: () => clock.now(),
    }),
    leader: () => lease.leader(),
    shared: postgres !== null,
    stillLeading: async () =>
      leadingEpoch(planes.acting(), lease) !== null && (await fence.leaseStillHeld()),
  };
  const fence = createLeaseFence({
    dialect: postgres === null ? 'sqlite' : 'postgres',
    readLease: () => database.store.leaderLease(),
    lease,
    self: nodeId,
  });
  let started = false;
  let endWith: (error: unknown) => void = () => undefined;
  const ended = new Promise<never>((_, reject) => {
    endWith = (error) => {
      if (started) reject(error instanceof Error ? error : new Error(String(error)));
    };
  });
  // Whoever holds the node watches `ended`; until then its rejection is not unhandled.
  ended.catch(() => undefined);
  const planes = createPlaneSwitch({
    compose: (plane) => composeCoordinator(composing, shared, plane),
    onFailure: (error) => {
      log.error({ err: error }, 'the coordinator could not switch planes; stopping');
      endWith(error);
    },
    logger: log,
  });
  database.store.fenceLeaderWrites({ epoch: () => leadingEpoch(planes.acting(), lease) });
  try {
    await lease.start();
    planes.want(planeOf(lease));
    await planes.settled();
  } catch (error) {
    await planes.stop();
    await lease.stop();
    throw error;
  }
  started = true;
  const running = planes.running();
  if (running === null) throw new Error('unreachable: the coordinator started without planes');
  const { apiUrl } = running.composition;

  async function stop(): Promise<void> {
    // The planes first: a leader stops acting before the lease is handed over.
    await planes.stop();
    await lease.stop();
    await database.store.close();
    await database.unlock();
  }
  return { nodeId, apiUrl, role: 'coordinator', stop, ended };
}

function planeOf(lease: LeaderLease): CoordinatorPlane {
  const now = lease.current();
  return now.holding ? { leading: true, epoch: now.epoch } : { leading: false };
}

/**
 * The epoch leader writes carry: the running composition's, while the lease still holds it. A
 * leader composition still stopping after its lease was lost writes nothing more.
 */
function leadingEpoch(plane: CoordinatorPlane | null, lease: LeaderLease): number | null {
  if (plane?.leading !== true) return null;
  const now = lease.current();
  return now.holding && now.epoch === plane.epoch ? plane.epoch : null;
}

async function postgresLease(
  ctx: NodeContext,
  database: PostgresDatabase,
  events: LeaseEvents,
  log: Logger,
): Promise<LeaderLease> {
  const [{ createPostgresLease }, { leaseConnectionFromUrl }] = await Promise.all([
    import('../cluster/lease/postgres-lease.ts'),
    import('../cluster/lease/lease-connection.ts'),
  ]);
  const address = advertisedAddress(ctx);
  return createPostgresLease({
    connection: leaseConnectionFromUrl(database.url, database.ssl),
    self: ctx.identity.nodeId,
    // Followers send agents here (the lease row names it).
    ...(address === null ? {} : { address }),
    timings: ctx.config.lease,
    events,
    clock: ctx.clock,
    logger: log,
  });
}

/** The peer address as the config fixes it (the lease row names it while this one leads). */
function advertisedAddress(ctx: NodeContext): string | null {
  const listen =
    ctx.config.peerListen ??
    parseListenAddress(ctx.identity.peer?.listen ?? '0.0.0.0:7433', 'node.json peer.listen');
  return advertisedPeerAddress(ctx.identity, listen);
}

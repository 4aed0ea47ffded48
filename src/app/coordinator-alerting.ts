import type { Logger } from 'pino';
import { createAlertDispatcher, type AlertDispatcherOptions } from '../alerts/dispatcher.ts';
import { findChannel } from '../alerts/registry.ts';
import type { RoutingSnapshot } from '../alerts/routing.ts';
import type { Decision } from '../cluster/coordinator/ingest.ts';
import { createTimedPagesRunner } from '../cluster/coordinator/timed-pages-runner.ts';
import type { InMaintenance } from '../domain/maintenance.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import {
  createAlertTargetService,
  type AlertTargetService,
} from '../services/alert-targets/target-service.ts';
import type { Store } from '../store/types.ts';

export interface CoordinatorAlertingDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  monitors(): ReadonlyMap<string, Monitor>;
  flapping(monitorId: string): boolean;
  decide(decision: Decision): void;
  onRecorded: NonNullable<AlertDispatcherOptions['onRecorded']>;
  /** Executables command targets may run (the node's local config). */
  allowedCommands: readonly string[];
  /** The dashboard's public address, for links in messages. */
  publicUrl: string | null;
  timedPagesIntervalMs?: number;
  /** The maintenance window covering a monitor now: no reminders or escalations while one does. */
  inMaintenance?: InMaintenance;
  /** Asked right before each send: false holds it (this coordinator may have lost the lease). */
  beforeSend?: () => Promise<boolean>;
  /** Targets or rules were written here (not re-read because of another's change). */
  onChanged?: () => void;
}

export interface CoordinatorAlerting {
  dispatcher: ReturnType<typeof createAlertDispatcher>;
  targets: AlertTargetService;
  /** Targets and rules as they are now (reloaded after every change). */
  routing(): RoutingSnapshot;
  /** Reloads targets and rules after a change made past the target service (a config apply). */
  reloadRouting(): void;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Alerting on the coordinator: the routing snapshot (targets and rules, held in memory and
 * reloaded after each change so decisions never wait on the store), the target service, the
 * dispatcher sending with each target's current settings, and the re-notify/escalation timer.
 */
export async function createCoordinatorAlerting(
  deps: CoordinatorAlertingDeps,
): Promise<CoordinatorAlerting> {
  const { store, clock } = deps;
  const log = deps.logger.child({ component: 'alerts/routing' });
  let snapshot: RoutingSnapshot = await loadRouting(store);
  let reloading: Promise<void> = Promise.resolve();

  function reload(): void {
    reloading = reloading
      .then(async () => {
        snapshot = await loadRouting(store);
      })
      .catch((error: unknown) => log.error({ err: error }, 'reloading alert targets failed'));
  }

  const targets = createAlertTargetService({
    store,
    clock,
    newId: () => newId('tgt'),
    newRuleId: () => newId('rule'),
    onChanged: () => {
      reload();
      deps.onChanged?.();
    },
    testSend: { allowedCommands: deps.allowedCommands, publicUrl: deps.publicUrl },
  });
  const dispatcher = createAlertDispatcher({
    store,
    clock,
    logger: deps.logger,
    channels: findChannel,
    targets: (name) => snapshot.targets.get(name),
    allowedCommands: deps.allowedCommands,
    publicUrl: deps.publicUrl,
    onRecorded: deps.onRecorded,
    ...(deps.beforeSend === undefined ? {} : { beforeSend: deps.beforeSend }),
  });
  const timedPages = createTimedPagesRunner({
    store,
    clock,
    logger: deps.logger,
    monitors: () => deps.monitors(),
    routing: () => snapshot,
    flapping: (monitorId) => deps.flapping(monitorId),
    decide: (decision) => deps.decide(decision),
    newId: () => newId('dlv'),
    ...(deps.inMaintenance === undefined ? {} : { inMaintenance: deps.inMaintenance }),
    ...(deps.timedPagesIntervalMs === undefined ? {} : { intervalMs: deps.timedPagesIntervalMs }),
  });

  return {
    dispatcher,
    targets,
    routing: () => snapshot,
    reloadRouting: reload,
    start() {
      dispatcher.start();
      timedPages.start();
    },
    async stop() {
      timedPages.stop();
      await reloading;
      await dispatcher.stop();
    },
  };
}

async function loadRouting(store: Store): Promise<RoutingSnapshot> {
  const [targets, rules] = await Promise.all([store.listAlertTargets(), store.listAlertRules()]);
  return { rules, targets: new Map(targets.map((t) => [t.name, t])) };
}

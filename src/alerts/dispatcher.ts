import type { Logger } from 'pino';
import type { AlertAttempt, AlertDelivery } from '../domain/alert.ts';
import type { Clock } from '../lib/clock.ts';
import type { AlertDeliveryUpdate, DueDelivery, Store } from '../store/types.ts';
import { boundedWait, createWakeTimer } from './dispatcher-timing.ts';
import {
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  decideFollowUp,
  deliveryAfterAttempt,
  type RetryPolicy,
  type SendOutcome,
} from './policy.ts';
import type { ChannelLookup } from './registry.ts';
import { createHttpSender } from './kit/http-sender.ts';
import { templatedAlert } from './kit/template.ts';
import { maskSecrets, secretValues } from './kit/secrets.ts';
import { destinationOf, errorName, outgoingAlert, timeoutOf } from './outgoing.ts';
import type { AlertTarget } from '../domain/alert-target.ts';
import { isChannelError } from './types.ts';
import { isFenced } from '../lib/errors.ts';

/** The only store methods the dispatcher needs. */
export type DeliveryStore = Pick<Store, 'dueAlertDeliveries' | 'updateAlertDelivery'>;

export interface AlertDispatcherOptions {
  store: DeliveryStore;
  clock: Clock;
  logger: Logger;
  /** Channel lookup by name; the composition root passes the registry's `findChannel`. */
  channels: ChannelLookup;
  /** Sends in flight at once. Default 4. */
  concurrency?: number;
  /** How often the store is checked for due deliveries without a `kick()`. Default 5 s. */
  pollIntervalMs?: number;
  /** Per-send time limit handed to channels (their settings may set their own). Default 10 s. */
  sendTimeoutMs?: number;
  /** How long `stop()` waits for sends in flight before aborting them. Default 10 s. */
  stopTimeoutMs?: number;
  /** Backoff and attempt limit; jitter defaults to `Math.random`. */
  retry?: Partial<RetryPolicy>;
  /** The dashboard's public address, for incident links in messages; null leaves them out. */
  publicUrl?: string | null;
  /** Named alert targets as they are now: a delivery to a target is sent with its current settings. */
  targets?: (name: string) => AlertTarget | undefined;
  /** Executables the command channel may run (the node's local config); default none. */
  allowedCommands?: readonly string[];
  /**
   * Asked immediately before each send (the lease fence's `leaseStillHeld`). False: the send
   * does not happen, the delivery stays due exactly as it was, and this pass ends; the next
   * poll or kick asks again. A check that throws counts as false.
   */
  beforeSend?: () => Promise<boolean>;
  /** Sees each delivery's recorded update (sent, suppressed, failed, or pending a retry); must not throw. */
  onRecorded?: (delivery: AlertDelivery, update: AlertDeliveryUpdate) => void;
}

export interface AlertDispatcher {
  /** Starts polling and sends whatever is already due (e.g. left over from a crash). */
  start(): void;
  /** Stops polling and waits (bounded) for sends in flight; records nothing afterwards. */
  stop(): Promise<void>;
  /** Looks for due deliveries now; the ingest path calls it right after committing new ones. */
  kick(): void;
}

/** After aborting sends that outlived `stopTimeoutMs`, how long they get to settle. */
const ABORT_GRACE_MS = 1000;

interface InFlight {
  done: Promise<void>;
  abort: AbortController;
}

/**
 * Sends stored alert deliveries through their channels and records each outcome.
 *
 * Deliveries are written by the ingest path in the same transaction as the incident, before
 * any send, so a crash never loses one. Delivery is at-least-once: a crash after the receiver
 * accepted an alert but before it was marked sent re-sends it after restart with the same
 * idempotency key, which channels pass on (webhook: `X-Crosscheck-Idempotency-Key`) so
 * receivers can drop the duplicate. Within one process a delivery is never sent twice at once.
 */
export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const { store, clock, channels } = options;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 10_000;
  const publicUrl = options.publicUrl ?? null;
  const allowedCommands = options.allowedCommands ?? [];
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const policy: RetryPolicy = {
    ...DEFAULT_BACKOFF,
    jitter: Math.random,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    ...options.retry,
  };
  const log = options.logger.child({ component: 'alerts/dispatcher' });
  const inFlight = new Map<string, InFlight>();
  const wake = createWakeTimer(clock, () => pump());

  let running = false;
  /** Set once `stop()` has given up waiting: late outcomes are then left for the next start. */
  let closed = false;
  let pumping: Promise<void> | null = null;
  let pumpAgain = false;
  /** The last load filled every free slot, so more may be due once a slot frees up. */
  let backlog = false;
  let stopping: Promise<void> | null = null;
  /** This pass found the lease gone: no slot is refilled until the next poll or kick. */
  let passStopped = false;
  /** "Not the leader" was logged and has not been contradicted since: said once, not per send. */
  let notLeaderReported = false;

  function pump(): void {
    if (!running) return;
    if (pumping !== null) {
      pumpAgain = true;
      return;
    }
    pumping = fillSlots()
      .catch((error: unknown) => log.error({ err: error }, 'loading due alert deliveries failed'))
      .finally(() => {
        pumping = null;
        if (running) wake.at(clock.now() + pollIntervalMs);
        if (pumpAgain) {
          pumpAgain = false;
          pump();
        }
      });
  }

  async function fillSlots(): Promise<void> {
    passStopped = false;
    const free = concurrency - inFlight.size;
    backlog = free <= 0;
    if (free <= 0) return;
    // A send that finishes while the query runs may come back stale as still pending, so
    // anything in flight when the query started is skipped until the next load.
    const busy = new Set(inFlight.keys());
    const limit = free + busy.size;
    const due = await store.dueAlertDeliveries(clock.now(), limit);
    backlog = due.length >= limit;
    for (const delivery of due) {
      if (!running || passStopped || inFlight.size >= concurrency) break;
      if (!busy.has(delivery.id) && !inFlight.has(delivery.id)) launch(delivery);
    }
  }

  function launch(delivery: DueDelivery): void {
    const abort = new AbortController();
    let settled = false;
    const done = deliver(delivery, abort.signal)
      .then((outcome) => {
        settled = outcome;
      })
      .catch((error: unknown) => {
        if (isFenced(error))
          notLeader(delivery, 'not the leader any more: alert outcome not recorded');
        else
          log.error({ ...logFields(delivery), err: error }, 'recording an alert delivery failed');
      })
      .finally(() => {
        inFlight.delete(delivery.id);
        // A settled opening releases the closing alerts that wait for it.
        if ((backlog || settled) && !passStopped) pump();
      });
    inFlight.set(delivery.id, { done, abort });
  }

  /** Sends one delivery; resolves true when it reached a final state (sent, failed, suppressed). */
  async function deliver(delivery: DueDelivery, signal: AbortSignal): Promise<boolean> {
    const fields = logFields(delivery);
    if (delivery.followsId !== null) {
      const decision = decideFollowUp(delivery.followsStatus);
      // The store holds closings back while their opening is pending; a race is not a send.
      if (decision.action === 'wait') return false;
      if (decision.action === 'suppress') {
        const suppressed: AlertDeliveryUpdate = {
          status: 'suppressed',
          attempts: delivery.attempts,
          nextAttemptAt: delivery.nextAttemptAt,
          lastError: null,
          sentAt: null,
          reason: decision.reason,
        };
        await store.updateAlertDelivery(delivery.id, suppressed);
        options.onRecorded?.(delivery, suppressed);
        log.info(
          { ...fields, reason: decision.reason },
          'closing alert not sent: its opening never reached this route',
        );
        return true;
      }
    }
    const outcome = await attempt(delivery, signal);
    if (outcome === LEASE_LOST) return false;
    if (!outcome.ok && signal.aborted) {
      // Shutdown is not the receiver's fault: leave the delivery due for the next start.
      log.info(fields, 'alert send aborted by shutdown; it stays pending');
      return false;
    }
    if (closed) {
      log.warn(fields, 'alert outcome arrived after shutdown; it will be sent again on start');
      return false;
    }
    const now = clock.now();
    const maxAttempts = channelOf(delivery)?.retry?.maxAttempts ?? policy.maxAttempts;
    const update = deliveryAfterAttempt(delivery, outcome, now, { ...policy, maxAttempts });
    await store.updateAlertDelivery(delivery.id, update, attemptRecord(outcome, update, now));
    options.onRecorded?.(delivery, update);
    if (update.status === 'sent') log.info(fields, 'alert sent');
    else if (update.status === 'pending') {
      log.warn(
        { ...fields, error: update.lastError, nextAttemptAt: update.nextAttemptAt },
        'alert send failed; will retry',
      );
      wake.at(update.nextAttemptAt);
    } else log.error({ ...fields, error: update.lastError }, 'alert delivery failed; giving up');
    return update.status !== 'pending';
  }

  /** The lease check right before a send; false stops this pass. */
  async function leaseHeld(delivery: DueDelivery): Promise<boolean> {
    if (options.beforeSend === undefined) return true;
    let held = false;
    try {
      held = await options.beforeSend();
    } catch (error) {
      log.error({ ...logFields(delivery), err: error }, 'lease check before an alert send failed');
    }
    if (held) notLeaderReported = false;
    else notLeader(delivery, 'not the leader any more: alert not sent, it stays due');
    return held;
  }

  function notLeader(delivery: DueDelivery, message: string): void {
    passStopped = true;
    if (notLeaderReported) return;
    notLeaderReported = true;
    log.warn(logFields(delivery), message);
  }

  async function attempt(
    delivery: DueDelivery,
    signal: AbortSignal,
  ): Promise<AttemptOutcome | typeof LEASE_LOST> {
    const destination = destinationOf(delivery, options.targets);
    if ('error' in destination) return { ok: false, retryable: false, error: destination.error };
    const channel = channels(destination.channel);
    if (channel === undefined) {
      return {
        ok: false,
        retryable: false,
        error: `unknown alert channel "${destination.channel}"`,
      };
    }
    const settings = channel.settingsSchema.safeParse(destination.settings);
    if (!settings.success) {
      // Field paths only: messages could echo a secret value back.
      const fields = settings.error.issues.map((issue) => issue.path.join('.') || '(root)');
      return {
        ok: false,
        retryable: false,
        error: `invalid channel settings at ${fields.join(', ')}`,
      };
    }
    const secrets = secretValues(channel.secrets, settings.data);
    // A template that fails to render never loses the alert: the default text goes out with a
    // note saying why, and the log says so too.
    const { alert, failure } = await templatedAlert(
      outgoingAlert(delivery, publicUrl),
      destination.template,
    );
    if (failure !== null) {
      log.warn(
        { ...logFields(delivery), reason: failure },
        'alert template failed; default text sent',
      );
    }
    // Last, right before the network write: the less time between check and send, the smaller
    // the window in which a leader that just lost the lease can still page.
    if (!(await leaseHeld(delivery))) return LEASE_LOST;
    try {
      const receipt = await channel.send(alert, settings.data, {
        signal,
        timeoutMs: sendTimeoutMs,
        secrets,
        allowedCommands,
        http: createHttpSender({
          provider: channel.title,
          signal,
          timeoutMs: timeoutOf(settings.data) ?? sendTimeoutMs,
          secrets,
        }),
      });
      return {
        ok: true,
        ...(receipt.providerRef === undefined ? {} : { providerRef: receipt.providerRef }),
      };
    } catch (error) {
      if (isChannelError(error)) {
        const retryAfter =
          error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
        const status = error.status === undefined ? {} : { httpStatus: error.status };
        return {
          ok: false,
          retryable: error.retryable,
          error: maskSecrets(error.message, secrets),
          ...retryAfter,
          ...status,
        };
      }
      // A channel bug, not a verdict on the receiver: retry and let maxAttempts bound it.
      log.error(
        { ...logFields(delivery), errorName: errorName(error) },
        'alert channel threw an unexpected error',
      );
      return { ok: false, retryable: true, error: 'internal error in the alert channel' };
    }
  }

  function channelOf(delivery: AlertDelivery) {
    const destination = destinationOf(delivery, options.targets);
    return 'error' in destination ? undefined : channels(destination.channel);
  }

  async function shutdown(): Promise<void> {
    running = false;
    wake.cancel();
    const pending = () => [
      ...(pumping ? [pumping] : []),
      ...[...inFlight.values()].map((f) => f.done),
    ];
    await boundedWait(clock, pending(), stopTimeoutMs);
    if (inFlight.size > 0) {
      log.warn({ inFlight: inFlight.size }, 'aborting alert sends still in flight at shutdown');
      for (const flight of inFlight.values()) flight.abort.abort();
      await boundedWait(clock, pending(), ABORT_GRACE_MS);
    }
    closed = true;
  }

  return {
    start() {
      if (running || stopping !== null) return;
      running = true;
      closed = false;
      pump();
    },
    stop() {
      if (stopping !== null) return stopping;
      if (!running) return Promise.resolve();
      stopping = shutdown().finally(() => {
        stopping = null;
      });
      return stopping;
    },
    kick() {
      pump();
    },
  };
}

/** The lease check said no: nothing was sent and nothing is recorded. */
const LEASE_LOST = Symbol('lease lost');

/** A send's outcome with the provider's HTTP status, for the attempt record. */
type AttemptOutcome = SendOutcome & { httpStatus?: number };

/** The alert log's record of one attempt, from its outcome and the state it led to. */
function attemptRecord(
  outcome: AttemptOutcome,
  update: AlertDeliveryUpdate,
  at: number,
): AlertAttempt {
  return {
    attempt: update.attempts,
    at,
    outcome: update.status === 'sent' ? 'sent' : update.status === 'pending' ? 'retry' : 'failed',
    error: outcome.ok ? null : outcome.error,
    httpStatus: outcome.httpStatus ?? null,
  };
}

/** What every log line about one delivery carries; never the settings, which hold secrets. */
function logFields(delivery: AlertDelivery): Record<string, unknown> {
  return {
    monitorId: delivery.monitorId,
    incidentId: delivery.incidentId,
    deliveryId: delivery.id,
    channel: delivery.channel,
    attempt: delivery.attempts + 1,
    kind: delivery.event.kind,
  };
}

import assert from 'node:assert/strict';
import type { AlertDelivery } from '../../domain/alert.ts';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Incident } from '../../domain/incident.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type { IngestBatch, Store } from '../types.ts';

/** What a backend hands the contract suite: a fresh, empty store and how to dispose of it. */
export interface StoreUnderTest {
  store: Store;
  /** Closes the store and removes whatever makeStore created. */
  cleanup: () => Promise<void>;
  /**
   * Writes the leader lease row's epoch directly, as a newer leader's acquisition would. Only
   * backends several coordinators share (PostgreSQL) compare epochs, so only they give it.
   */
  setLeaseEpoch?: (epoch: number) => Promise<void>;
}

export type MakeStore = () => Promise<StoreUnderTest>;

/** Hour-aligned base time for every fixture (2026-01-01T00:00Z). */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Runs `body` against a fresh store, always cleaning up. */
export async function withStore(
  makeStore: MakeStore,
  body: (store: Store) => Promise<void>,
): Promise<void> {
  const { store, cleanup } = await makeStore();
  try {
    await body(store);
  } finally {
    await cleanup();
  }
}

/** A monitor with every field set, nested JSON included. */
export function makeMonitor(id: string, overrides: Partial<Monitor> = {}): Monitor {
  return {
    id,
    name: `Monitor ${id}`,
    type: 'http',
    target: `http://127.0.0.1:8080/${id}`,
    intervalMs: 60_000,
    timeoutMs: 5_000,
    group: 'web',
    tags: ['prod', 'eu'],
    options: { method: 'GET', headers: { accept: 'text/html' }, expectedStatus: [200, 204] },
    failureThreshold: 2,
    recoveryThreshold: 3,
    degradedIsDown: false,
    paused: false,
    alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/hook', retries: 3 } }],
    regionalAlerts: [],
    consensus: { ...DEFAULT_CONSENSUS },
    nodes: { regions: [], labels: {} },
    alertCooldownMs: 300_000,
    dependsOn: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

let resultCounter = 0;

/** A result of `monitorId` at `checkedAt`; ids are unique unless given. */
export function makeResult(
  monitorId: string,
  checkedAt: number,
  status: CheckStatus = 'up',
  latencyMs = 100,
  id = `res-${monitorId}-${checkedAt}-${++resultCounter}`,
): RecordedResult {
  const result: RecordedResult = {
    id,
    monitorId,
    nodeId: 'node-a',
    checkedAt,
    status,
    latencyMs,
    timings: { dnsMs: 1.5, connectMs: 2.25 },
    message: status === 'down' ? 'connection refused' : `HTTP 200 in ${latencyMs} ms`,
    details: { statusCode: status === 'down' ? null : 200, redirected: false, hops: ['a', 'b'] },
  };
  if (status === 'down') result.errorKind = 'refused';
  if (status === 'error') {
    result.errorKind = 'node';
    result.message = 'too many open files on this node (EMFILE)';
  }
  return result;
}

/** A batch holding only what is given. */
export function batch(parts: Partial<IngestBatch>): IngestBatch {
  return {
    results: [],
    states: [],
    incidentsOpened: [],
    incidentsResolved: [],
    alerts: [],
    ...parts,
  };
}

/** A runtime state with a few non-default fields. */
export function makeState(
  monitorId: string,
  overrides: Partial<MonitorRuntimeState> = {},
): MonitorRuntimeState {
  return {
    ...initialRuntimeState(monitorId),
    status: 'up',
    consecutiveSuccesses: 4,
    lastCheckedAt: T0 + MINUTE,
    lastResultStatus: 'up',
    lastLatencyMs: 12.5,
    lastMessage: 'HTTP 200 in 12 ms',
    statusSince: T0,
    ...overrides,
  };
}

/** An open incident of `monitorId` that started at `startedAt`. */
export function makeIncident(id: string, monitorId: string, startedAt: number): Incident {
  return {
    id,
    monitorId,
    status: 'open',
    startedAt,
    openedAt: startedAt + MINUTE,
    endedAt: null,
    resolvedAt: null,
    durationMs: null,
    errorKind: 'refused',
    cause: 'connection refused',
    verdict: 'down',
    regions: [],
    retractedAt: null,
    retraction: null,
    acknowledgement: null,
    maintenance: null,
    causedBy: null,
    groupId: null,
  };
}

/** A pending delivery of a "down" alert. */
export function makeDelivery(
  id: string,
  monitorId: string,
  overrides: Partial<AlertDelivery> = {},
): AlertDelivery {
  return {
    id,
    deliveryKey: `key-${id}`,
    monitorId,
    incidentId: 'inc-1',
    nodeId: null,
    followsId: null,
    target: null,
    providerRef: null,
    channel: 'webhook',
    settings: { url: 'http://127.0.0.1:9/hook', headers: { 'x-token': 'secret' } },
    event: {
      kind: 'down',
      idempotencyKey: `idem-${id}`,
      monitor: {
        id: monitorId,
        name: `Monitor ${monitorId}`,
        type: 'http',
        target: 'http://127.0.0.1:8080/',
        group: null,
        tags: ['prod'],
      },
      incident: {
        id: 'inc-1',
        startedAt: T0,
        endedAt: null,
        durationMs: null,
        cause: 'connection refused',
      },
      verdict: 'down',
      regions: [],
      evidence: [
        {
          node: 'node-a',
          region: 'eu-west',
          outcome: 'fail',
          message: 'connection refused',
          latencyMs: null,
        },
      ],
      message: 'connection refused',
      occurredAt: T0 + MINUTE,
    },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    reason: null,
    lastError: null,
    createdAt: T0,
    sentAt: null,
    ...overrides,
  };
}

/** Asserts a promise rejects with an AppError of the given code. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: unknown }).code, code);
    return true;
  });
}

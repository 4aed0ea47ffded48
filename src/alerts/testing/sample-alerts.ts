import type { AlertEvent, MonitorAlertEvent, NodeAlertEvent } from '../../domain/alert.ts';
import { alertDedupKey, alertStatus, renderAlertMessage } from '../kit/message.ts';
import type { OutgoingAlert } from '../types.ts';

const STARTED = Date.UTC(2026, 11, 4, 3, 0, 0);

/** The incident every sample monitor alert is about. */
const incident = {
  id: 'inc-0193a1',
  startedAt: STARTED,
  endedAt: null,
  durationMs: null,
  cause: 'HTTP 503',
};

const down: MonitorAlertEvent = {
  kind: 'down',
  idempotencyKey: 'mon-api:inc-0193a1:down',
  monitor: {
    id: 'mon-api',
    name: 'Checkout API',
    type: 'http',
    target: 'https://shop.test/health',
    group: 'prod',
    tags: ['api', 'payments'],
  },
  incident,
  verdict: 'down',
  regions: [],
  evidence: [
    { node: 'fra-1', region: 'eu-west', outcome: 'fail', message: 'HTTP 503', latencyMs: 12 },
    { node: 'nyc-1', region: 'us-east', outcome: 'fail', message: 'HTTP 503', latencyMs: 80 },
    { node: 'sgp-1', region: 'ap-south', outcome: 'no-answer', message: '', latencyMs: null },
  ],
  message: 'Down: confirmed by 2 of 2 nodes (eu-west 1/1 failing, us-east 1/1 failing)',
  occurredAt: STARTED + 60_000,
};

const regional: MonitorAlertEvent = {
  ...down,
  kind: 'regional',
  idempotencyKey: 'mon-api:inc-0193a2:regional',
  incident: { ...incident, id: 'inc-0193a2' },
  verdict: 'regional',
  regions: ['ap-south'],
  message: 'Down from ap-south only: 2 of 4 nodes failing, other regions see it up',
};

const recovered: MonitorAlertEvent = {
  ...down,
  kind: 'recovered',
  idempotencyKey: 'mon-api:inc-0193a1:recovered',
  incident: { ...incident, endedAt: STARTED + 600_000, durationMs: 600_000 },
  verdict: 'up',
  evidence: down.evidence.map((v) => ({ ...v, outcome: 'ok', message: 'HTTP 200' })),
  message: 'Recovered: 3 of 3 nodes see it up',
  occurredAt: STARTED + 600_000,
};

const retracted: MonitorAlertEvent = {
  ...down,
  kind: 'retracted',
  idempotencyKey: 'mon-api:inc-0193a1:retracted',
  verdict: 'up',
  message: 'Retracted — fra-1 lost its own network right after',
  occurredAt: STARTED + 120_000,
};

/** An opt-in degraded episode: no incident; the episode id is in the key. */
const degraded: MonitorAlertEvent = {
  ...down,
  kind: 'degraded',
  idempotencyKey: 'mon-api:dgr-0193b1:degraded',
  incident: null,
  verdict: 'up',
  evidence: [
    {
      node: 'fra-1',
      region: 'eu-west',
      outcome: 'ok',
      message: 'degraded: slower than 500 ms',
      latencyMs: 912,
    },
    {
      node: 'nyc-1',
      region: 'us-east',
      outcome: 'ok',
      message: 'degraded: slower than 500 ms',
      latencyMs: 1_204,
    },
    { node: 'sgp-1', region: 'ap-south', outcome: 'ok', message: 'up: HTTP 200', latencyMs: 140 },
  ],
  message:
    'Degraded: 2 of 3 nodes see it degraded (ap-south 0/1, eu-west 1/1, us-east 1/1); still up',
  occurredAt: STARTED + 180_000,
};

const degradedEnded: MonitorAlertEvent = {
  ...degraded,
  kind: 'degraded-ended',
  idempotencyKey: 'mon-api:dgr-0193b1:degraded-ended',
  evidence: degraded.evidence.map((v) => ({ ...v, message: 'up: HTTP 200', latencyMs: 120 })),
  message: 'No longer degraded after 12m: 0 of 3 nodes see it degraded',
  occurredAt: STARTED + 900_000,
};

const nodeMissing: NodeAlertEvent = {
  kind: 'node-missing',
  idempotencyKey: 'node:node-fra-1:7:missing',
  node: { id: 'node-fra-1', name: 'fra-1', region: 'eu-west' },
  from: 'online',
  to: 'missing',
  message: 'Node fra-1 (eu-west) has not been heard from for 90s',
  occurredAt: STARTED,
};

const nodeOnline: NodeAlertEvent = {
  ...nodeMissing,
  kind: 'node-online',
  idempotencyKey: 'node:node-fra-1:8:online',
  from: 'missing',
  to: 'online',
  message: 'Node fra-1 (eu-west) is back online',
};

/** A down alert far past every provider's length limit: long text and 300 nodes of evidence. */
const huge: MonitorAlertEvent = {
  ...down,
  idempotencyKey: 'mon-api:inc-0193a9:down',
  incident: { ...incident, id: 'inc-0193a9' },
  message: `Down: ${'very long explanation '.repeat(500)}`,
  evidence: Array.from({ length: 300 }, (_, i) => ({
    node: `node-${i}`,
    region: `region-${i % 7}`,
    outcome: 'fail' as const,
    message: `connection refused after a long wait number ${i}`,
    latencyMs: i,
  })),
};

/**
 * The alerts every channel must deliver, in the order the contract suite sends them: each
 * closing comes after the opening it follows.
 */
export const SAMPLE_EVENTS = {
  down,
  regional,
  recovered,
  retracted,
  degraded,
  degradedEnded,
  nodeMissing,
  nodeOnline,
  huge,
} as const;

/** The public URL sample messages link to (text only; nothing is ever sent there). */
export const SAMPLE_PUBLIC_URL = 'https://crosscheck.test';

/** An event as a channel receives it. */
export function sampleOutgoing(event: AlertEvent, openingRef: string | null = null): OutgoingAlert {
  return {
    event,
    message: renderAlertMessage(event, SAMPLE_PUBLIC_URL),
    status: alertStatus(event),
    dedupKey: alertDedupKey(event),
    idempotencyKey: `${event.idempotencyKey}:target-1`,
    openingRef,
  };
}

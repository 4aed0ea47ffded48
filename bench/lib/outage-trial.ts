/**
 * One outage of a monitored target in a running cluster, timed end to end: the target stops,
 * the nodes fail their checks, a node signals suspect, the coordinator's confirmation round
 * decides, the incident opens and the `down` webhook arrives; then the target comes back and
 * the same for the recovery. Times come from three places on one machine (one clock): the
 * bench (stop, restart, webhook arrival) and the coordinator's incident and rounds (API).
 */
import { z } from 'zod';
import { apiJson } from './loopback-cluster.ts';
import type { OutageMode, SwitchableTarget } from './switchable-target.ts';
import type { BenchApi } from './daemon-process.ts';
import { sleep } from './time-bounds.ts';
import type { ReceivedAlert, WebhookSink } from './webhook-sink.ts';

const alertBody = z.object({
  kind: z.string(),
  monitor: z.object({ id: z.string() }),
  incident: z.object({ id: z.string() }).nullable(),
});

const voteRecord = z.object({
  nodeName: z.string(),
  outcome: z.string(),
  answeredAt: z.number().nullable(),
  late: z.boolean(),
});

const roundRecord = z.object({
  purpose: z.string(),
  triggeredBy: z.string(),
  openedAt: z.number(),
  decidedAt: z.number(),
  verdict: z.string(),
  votes: z.array(voteRecord),
});

/** What the bench reads of `GET /api/v1/incidents/:id` (the incident plus its rounds). */
const incidentDetail = z.object({
  id: z.string(),
  startedAt: z.number(),
  openedAt: z.number(),
  endedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  evidence: z.array(roundRecord),
});
type IncidentDetail = z.infer<typeof incidentDetail>;
type RoundRecord = z.infer<typeof roundRecord>;

const statusRow = z.object({
  id: z.string(),
  status: z.string(),
  openIncidentId: z.string().nullable(),
});
const resultRow = z.object({ nodeId: z.string(), status: z.string(), checkedAt: z.number() });

/** The figures of one outage (ms; null where the step did not happen in time). */
export interface TrialFigures {
  /** Stop → the first failing check (the wait for the next slot of the check grid). */
  firstFailMs: number | null;
  /** First failing check → the round opened (local threshold, then the suspect signal). */
  signalMs: number | null;
  /** Round opened → decided (every other node checks now and votes). */
  roundMs: number | null;
  /** Round opened → the last counted vote arrived. */
  slowestVoteMs: number | null;
  /** Stop → incident open (coordinator clock). */
  openMs: number | null;
  /** Incident open → `down` webhook received. */
  dispatchMs: number | null;
  /** Stop → `down` webhook received: what a person being paged waits. */
  webhookMs: number | null;
  /** Node whose suspect signal opened the round, and the round's votes (`fail 3/3`). */
  triggeredBy: string | null;
  votes: string | null;
  /** Restart → the incident resolved (recovery confirmed), and → `recovered` webhook. */
  resolvedMs: number | null;
  recoveryRoundMs: number | null;
  recoveryWebhookMs: number | null;
  /** Why a step did not finish within its bound, when one did not. */
  error: string | null;
}

/** Where the trial runs: the coordinator's API, the monitor, its target and the receiver. */
export interface TrialSetup {
  /** The coordinator's API and the data dir whose token opens it. */
  api: BenchApi;
  monitorId: string;
  /** Node ids that run the monitor (every node of the cluster). */
  nodeIds: readonly string[];
  /** Names by node id, for the report. */
  nodeNames: ReadonlyMap<string, string>;
  target: SwitchableTarget;
  outage: OutageMode;
  sink: WebhookSink;
  intervalMs: number;
  /** Longest wait for an alert; a step that takes longer is reported as not done. */
  alertTimeoutMs: number;
  /** Longest wait for the monitor to be up on every node between outages. */
  steadyTimeoutMs: number;
}

/** Runs one outage and its recovery; leaves the target up and every node recovered. */
export async function runOutageTrial(setup: TrialSetup): Promise<TrialFigures> {
  const figures = emptyFigures();
  // A random point of the check grid, so that the repetitions sample the slot wait evenly.
  await sleep(Math.random() * setup.intervalMs);
  const stoppedAt = setup.target.stop(setup.outage);
  const down = await setup.sink.waitFor(
    (alert) => matches(alert, setup.monitorId, 'down', stoppedAt),
    setup.alertTimeoutMs,
  );
  let incident: IncidentDetail | undefined;
  if (down) {
    incident = await fetchIncident(setup.api, incidentIdOf(down));
    const opening = incident.evidence.find((r) => r.purpose === 'confirm' && r.verdict === 'down');
    figures.firstFailMs = incident.startedAt - stoppedAt;
    figures.openMs = incident.openedAt - stoppedAt;
    figures.dispatchMs = down.receivedAt - incident.openedAt;
    figures.webhookMs = down.receivedAt - stoppedAt;
    if (opening) {
      figures.signalMs = opening.openedAt - incident.startedAt;
      figures.roundMs = opening.decidedAt - opening.openedAt;
      figures.slowestVoteMs = slowestVote(opening);
      figures.triggeredBy = setup.nodeNames.get(opening.triggeredBy) ?? opening.triggeredBy;
      figures.votes = voteSummary(opening);
    }
  } else {
    figures.error = `no down webhook within ${setup.alertTimeoutMs} ms of the stop`;
  }

  // The page comes right after a check slot; restarting then would always time the recovery
  // from the same point of the grid, so it too starts at a random point.
  await sleep(Math.random() * setup.intervalMs);
  const restartedAt = await setup.target.start();
  if (incident) {
    const id = incident.id;
    const recovered = await setup.sink.waitFor(
      (alert) => matches(alert, setup.monitorId, 'recovered', restartedAt, id),
      setup.alertTimeoutMs,
    );
    if (recovered) {
      const resolved = await fetchIncident(setup.api, id);
      const closing = resolved.evidence.findLast((r) => r.purpose === 'recover');
      figures.resolvedMs = resolved.resolvedAt === null ? null : resolved.resolvedAt - restartedAt;
      figures.recoveryRoundMs = closing ? closing.decidedAt - closing.openedAt : null;
      figures.recoveryWebhookMs = recovered.receivedAt - restartedAt;
    } else {
      figures.error = `no recovered webhook within ${setup.alertTimeoutMs} ms of the restart`;
    }
  }
  await waitSteady(setup, restartedAt);
  return figures;
}

/**
 * Waits (bounded) until the monitor is up with no open incident and every node's two latest
 * results since `since` passed, so each node's own threshold is reset before the next outage.
 */
export async function waitSteady(setup: TrialSetup, since: number): Promise<void> {
  const deadline = Date.now() + setup.steadyTimeoutMs;
  let why = 'not polled yet';
  while (Date.now() < deadline) {
    why = await notSteadyBecause(setup, since);
    if (why === '') return;
    await sleep(250);
  }
  throw new Error(`monitor not steady within ${setup.steadyTimeoutMs} ms: ${why}`);
}

async function notSteadyBecause(setup: TrialSetup, since: number): Promise<string> {
  const status = z
    .object({ items: z.array(statusRow) })
    .parse(await apiJson(setup.api, 'GET', '/api/v1/status'))
    .items.find((row) => row.id === setup.monitorId);
  if (!status) return 'monitor not listed';
  if (status.status !== 'up' || status.openIncidentId !== null)
    return `status ${status.status}, open incident ${status.openIncidentId ?? 'none'}`;
  const query = `/api/v1/results?monitor=${encodeURIComponent(setup.monitorId)}&since=${since}&limit=500`;
  const results = z
    .object({ items: z.array(resultRow) })
    .parse(await apiJson(setup.api, 'GET', query)).items;
  for (const nodeId of setup.nodeIds) {
    const latest = results
      .filter((r) => r.nodeId === nodeId)
      .sort((a, b) => b.checkedAt - a.checkedAt)
      .slice(0, 2);
    if (latest.length < 2 || latest.some((r) => r.status !== 'up'))
      return `${setup.nodeNames.get(nodeId) ?? nodeId}: last results ${latest.map((r) => r.status).join(',') || 'none'}`;
  }
  return '';
}

async function fetchIncident(api: BenchApi, id: string): Promise<IncidentDetail> {
  const body = await apiJson(api, 'GET', `/api/v1/incidents/${encodeURIComponent(id)}`);
  const parsed = incidentDetail.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `incident ${id}: unexpected API answer at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

function matches(
  alert: ReceivedAlert,
  monitorId: string,
  kind: string,
  after: number,
  incidentId?: string,
): boolean {
  const body = alertBody.safeParse(alert.body);
  return (
    body.success &&
    alert.receivedAt >= after &&
    body.data.kind === kind &&
    body.data.monitor.id === monitorId &&
    (incidentId === undefined || body.data.incident?.id === incidentId)
  );
}

function incidentIdOf(alert: ReceivedAlert): string {
  const id = alertBody.parse(alert.body).incident?.id;
  if (id === undefined) throw new Error('down webhook without an incident');
  return id;
}

function slowestVote(round: RoundRecord): number | null {
  const times = round.votes
    .filter((v) => !v.late && v.answeredAt !== null)
    .map((v) => (v.answeredAt ?? 0) - round.openedAt);
  return times.length === 0 ? null : Math.max(...times);
}

function voteSummary(round: RoundRecord): string {
  const fails = round.votes.filter((v) => v.outcome === 'fail').length;
  return `fail ${fails}/${round.votes.length}`;
}

function emptyFigures(): TrialFigures {
  return {
    firstFailMs: null,
    signalMs: null,
    roundMs: null,
    slowestVoteMs: null,
    openMs: null,
    dispatchMs: null,
    webhookMs: null,
    triggeredBy: null,
    votes: null,
    resolvedMs: null,
    recoveryRoundMs: null,
    recoveryWebhookMs: null,
    error: null,
  };
}

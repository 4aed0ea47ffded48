/**
 * Scenario 5 — detection latency: target stop → incident open → webhook received, p50/p95.
 *
 * A real cluster on loopback, built with the CLI (`init`, `join-token`, `join`, `agent`): a
 * coordinator and two agents, three processes in three regions. One HTTP monitor on a loopback
 * target the bench switches off and on, with a webhook to a loopback receiver that records when
 * each alert arrives. Each repetition stops the target at a random point of the check grid
 * (connection refused from then on) and times the way to the page: first failing check, the
 * suspect signal after `failureThreshold` failures, the coordinator's confirmation round (every
 * other node checks now and votes), the incident, the `down` webhook. Then the target comes
 * back (also at a random point of the grid) and the recovery is timed the same way. Times come
 * from the bench (stop, restart, webhook arrival) and the coordinator's incident and rounds:
 * one machine, one clock.
 *
 * Variants: 1 s interval with the target refusing connections (a dead process: checks fail at
 * once), 1 s with the target hanging (every failing check and every vote waits out the 1 s
 * timeout, the slow half of the promise), and in the full run 5 s refusing. Threshold 2 and
 * timeout 1 s throughout; repetitions 10 (quick: 3, and no 5 s variant).
 *
 * The promise judged (p95 of stop → webhook): within failureThreshold × interval + timeout + 2 s.
 */
import type { LoopbackCluster } from '../lib/loopback-cluster.ts';
import { startLoopbackCluster } from '../lib/loopback-cluster.ts';
import type { TrialFigures, TrialSetup } from '../lib/outage-trial.ts';
import { runOutageTrial, waitSteady } from '../lib/outage-trial.ts';
import type { Scenario, TargetResult } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import type { Spread } from '../lib/stats.ts';
import { spread } from '../lib/stats.ts';
import type { OutageMode, SwitchableTarget } from '../lib/switchable-target.ts';
import { startSwitchableTarget } from '../lib/switchable-target.ts';
import type { WebhookSink } from '../lib/webhook-sink.ts';
import { startWebhookSink } from '../lib/webhook-sink.ts';

const FAILURE_THRESHOLD = 2;
const TIMEOUT_MS = 1_000;
/** The vote margin the coordinator adds to a round's deadline (timeout + 2 s). */
const VOTE_MARGIN_MS = 2_000;

/** One setting measured: the monitor's interval (threshold and timeout are fixed), the outage. */
interface Variant {
  intervalMs: number;
  outage: OutageMode;
  repetitions: number;
}

const OUTAGE_TEXT: Record<OutageMode, string> = {
  refuse: 'connection refused',
  hang: 'target hangs (checks time out)',
};

/** The figures kept for each timed step, in the order of the tables. */
const STEPS: { key: keyof TrialFigures; label: string }[] = [
  { key: 'firstFailMs', label: 'stop → first failing check (grid wait)' },
  { key: 'signalMs', label: 'first failing check → round opened' },
  { key: 'roundMs', label: 'round opened → decided' },
  { key: 'slowestVoteMs', label: 'round opened → slowest vote' },
  { key: 'openMs', label: 'stop → incident open' },
  { key: 'dispatchMs', label: 'incident open → webhook received' },
  { key: 'webhookMs', label: 'stop → down webhook received' },
  { key: 'resolvedMs', label: 'restart → incident resolved' },
  { key: 'recoveryRoundMs', label: 'recovery round opened → decided' },
  { key: 'recoveryWebhookMs', label: 'restart → recovered webhook received' },
];

/** The promise: failureThreshold × interval + timeout + the vote margin. */
function boundMs(intervalMs: number): number {
  return FAILURE_THRESHOLD * intervalMs + TIMEOUT_MS + VOTE_MARGIN_MS;
}

/** Adds the variant's monitor through the CLI, as a user would; returns its id. */
async function addMonitor(
  cluster: LoopbackCluster,
  target: SwitchableTarget,
  sink: WebhookSink,
  variant: Variant,
): Promise<string> {
  const out = await cluster.cli([
    'monitor',
    'add',
    '--name',
    `detect-${variant.intervalMs / 1000}s-${variant.outage}`,
    '--type',
    'http',
    '--target',
    target.url,
    '--interval',
    `${variant.intervalMs}ms`,
    '--timeout',
    `${TIMEOUT_MS}ms`,
    '--failure-threshold',
    String(FAILURE_THRESHOLD),
    '--webhook',
    sink.url,
    // Every repetition is a fresh outage that must page: no cooldown, and a flap window too
    // short for repeated outages to count as flapping (which would mute the pages).
    '--alert-cooldown',
    '0s',
    '--flap-window',
    '1s',
    '--json',
  ]);
  return (JSON.parse(out) as { id: string }).id;
}

interface VariantResult {
  intervalMs: number;
  outage: OutageMode;
  timeoutMs: number;
  failureThreshold: number;
  boundMs: number;
  repetitions: number;
  completed: number;
  runs: TrialFigures[];
  summary: Partial<Record<keyof TrialFigures, Spread>>;
}

async function measureVariant(
  cluster: LoopbackCluster,
  sink: WebhookSink,
  variant: Variant,
): Promise<VariantResult> {
  const target = await startSwitchableTarget();
  try {
    const monitorId = await addMonitor(cluster, target, sink, variant);
    const bound = boundMs(variant.intervalMs);
    const setup: TrialSetup = {
      api: cluster.coordinator,
      monitorId,
      nodeIds: [...cluster.nodeIds.values()],
      nodeNames: new Map([...cluster.nodeIds].map(([name, id]) => [id, name])),
      target,
      outage: variant.outage,
      sink,
      intervalMs: variant.intervalMs,
      alertTimeoutMs: Math.max(30_000, 4 * bound),
      steadyTimeoutMs: Math.max(60_000, 10 * variant.intervalMs),
    };
    await waitSteady(setup, Date.now());
    const runs: TrialFigures[] = [];
    for (let run = 0; run < variant.repetitions; run++) {
      const figures = await runOutageTrial(setup);
      runs.push(figures);
      const shown =
        figures.webhookMs === null ? (figures.error ?? 'no page') : `${figures.webhookMs} ms`;
      console.log(
        `  ${variant.intervalMs / 1000} s, ${variant.outage} #${run + 1}: stop → webhook ${shown}`,
      );
    }
    // Deleted so the next variant's cluster checks only its own monitor.
    await cluster.cli(['monitor', 'delete', monitorId]);
    const summary: VariantResult['summary'] = {};
    for (const { key } of STEPS) {
      summary[key] = spread(runs.flatMap((r) => (typeof r[key] === 'number' ? [r[key]] : [])));
    }
    return {
      intervalMs: variant.intervalMs,
      outage: variant.outage,
      timeoutMs: TIMEOUT_MS,
      failureThreshold: FAILURE_THRESHOLD,
      boundMs: bound,
      repetitions: variant.repetitions,
      completed: runs.filter((r) => r.webhookMs !== null && r.recoveryWebhookMs !== null).length,
      runs,
      summary,
    };
  } finally {
    await target.close();
  }
}

function printVariant(result: VariantResult): void {
  const title = `${result.intervalMs / 1000} s interval, threshold ${result.failureThreshold}, timeout ${result.timeoutMs / 1000} s, ${OUTAGE_TEXT[result.outage]}`;
  printTable(
    `detection latency, ${title}: ${result.completed} of ${result.repetitions} outages paged and recovered (ms)`,
    ['step', 'p50', 'p95', 'max', 'n'],
    STEPS.map(({ key, label }) => {
      const s = result.summary[key];
      return [label, s?.p50 ?? '', s?.p95 ?? '', s?.max ?? '', s?.samples ?? 0];
    }),
  );
  const ms = (value: number | null): string | number => value ?? '—';
  printTable(
    `each outage, ${title} (ms)`,
    [
      '#',
      'first fail',
      'signal',
      'round',
      'open',
      'webhook',
      'opened by',
      'votes',
      'recovered hook',
    ],
    result.runs.map((r, i) => [
      i + 1,
      ms(r.firstFailMs),
      ms(r.signalMs),
      ms(r.roundMs),
      ms(r.openMs),
      r.webhookMs === null ? (r.error ?? '—') : r.webhookMs,
      r.triggeredBy ?? '—',
      r.votes ?? '—',
      ms(r.recoveryWebhookMs),
    ]),
  );
}

function targetOf(result: VariantResult): TargetResult {
  const page = result.summary.webhookMs;
  const seconds = (value: number): string => (value / 1000).toFixed(2);
  const missing = result.repetitions - (page?.samples ?? 0);
  return {
    target: `detection @${result.intervalMs / 1000} s, ${result.outage === 'hang' ? 'hanging' : 'refused'} (stop → webhook p95)`,
    goal: `≤ ${seconds(result.boundMs)} s (${result.failureThreshold}×${result.intervalMs / 1000} s + ${result.timeoutMs / 1000} s + 2 s)`,
    measured: page
      ? `${seconds(page.p95)} s (p50 ${seconds(page.p50)}, max ${seconds(page.max)}, n ${page.samples}${missing > 0 ? `, ${missing} not paged` : ''})`
      : 'no outage paged',
    pass: page !== undefined && page.samples > 0 && missing === 0 && page.p95 <= result.boundMs,
  };
}

export const detectionLatency: Scenario = {
  name: 'detection-latency',
  description: 'coordinator + 2 agents on loopback: target stop → incident → webhook, p50/p95',
  async run(context) {
    const repetitions = context.quick ? 3 : 10;
    const variants: Variant[] = [
      { intervalMs: 1_000, outage: 'refuse', repetitions },
      // The timeout part of the promise: every failing check, and every vote, waits it out.
      { intervalMs: 1_000, outage: 'hang', repetitions },
      ...(context.quick ? [] : [{ intervalMs: 5_000, outage: 'refuse' as const, repetitions }]),
    ];
    const sink = await startWebhookSink();
    let cluster: LoopbackCluster | undefined;
    const results: VariantResult[] = [];
    try {
      cluster = await startLoopbackCluster(context.children, context.workDir, {
        coordinator: { name: 'coord', region: 'r1' },
        agents: [
          { name: 'a1', region: 'r2' },
          { name: 'a2', region: 'r3' },
        ],
      });
      for (const variant of variants) results.push(await measureVariant(cluster, sink, variant));
    } finally {
      await cluster?.stop();
      await sink.close();
    }
    for (const result of results) printVariant(result);
    return {
      figures: {
        cluster: 'coordinator + 2 agents, 3 regions, loopback',
        variants: results,
      },
      targets: results.map(targetOf),
    };
  },
};

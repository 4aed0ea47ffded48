/**
 * Micro-benchmark: the coordinator's consensus when everything fails at once — N monitors on
 * ten hosts (ten shared causes), five nodes in two regions, one agent reports every monitor
 * suspect in the same instant, the other nodes answer every vote on the next turn of the event
 * loop. Measures time and CPU until every incident (with its round, votes and alert) is
 * committed to SQLite and every held page decided, then the same for the recovery; counts the
 * incidents, cause groups and pages written, with grouping on (the default) and off. The
 * consensus runner, the pure core, the ingest pipeline and the store are the product's own;
 * only the network between nodes is left out (votes answer in-process).
 */
import { DEFAULT_VANTAGE_POLICY } from '../../src/consensus/vantage-health.ts';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_GROUPING } from '../../src/domain/cause-group.ts';
import { createIngestor } from '../../src/cluster/coordinator/ingest.ts';
import { createConsensusRunner } from '../../src/cluster/coordinator/consensus-runner.ts';
import type { VoteEvidence } from '../../src/domain/consensus.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { newId } from '../../src/lib/ids.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { makeMonitor } from '../../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../src/store/types.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { round } from '../lib/stats.ts';
import { sleep, withTimeout } from '../lib/time-bounds.ts';

const NODES = [
  { id: 'coord', name: 'coord', region: 'us', labels: {} },
  { id: 'us-2', name: 'us-2', region: 'us', labels: {} },
  { id: 'eu-1', name: 'eu-1', region: 'eu', labels: {} },
  { id: 'eu-2', name: 'eu-2', region: 'eu', labels: {} },
  { id: 'eu-3', name: 'eu-3', region: 'eu', labels: {} },
];
const PHASE_LIMIT_MS = 300_000;
/** Monitors spread over this many hosts: the causes a grouped outage should page once each. */
const HOSTS = 10;

function monitor(i: number, now: number): Monitor {
  return makeMonitor(`mon-${String(i).padStart(6, '0')}`, {
    type: 'tcp',
    target: `service-${i % HOSTS}.internal.test:${1000 + i}`,
    group: null,
    options: {},
    createdAt: now,
    updatedAt: now,
  });
}

/** What the outage wrote, counted in the database file itself. */
interface Written {
  incidents: number;
  groups: number;
  /** Opening pages that go out (pending or sent): the members' own and the groups'. */
  pages: number;
  held: number;
  suppressedGrouped: number;
  closings: number;
}

function written(file: string): Written {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const one = (query: string): number =>
      (db.prepare(query).get() as { n: number } | undefined)?.n ?? 0;
    return {
      incidents: one('SELECT count(*) AS n FROM incidents'),
      groups: one("SELECT count(*) AS n FROM cause_groups WHERE state IN ('paged', 'closed')"),
      pages: one(
        "SELECT count(*) AS n FROM alert_deliveries WHERE kind IN ('down', 'regional') AND status IN ('pending', 'sent')",
      ),
      held: one("SELECT count(*) AS n FROM alert_deliveries WHERE status = 'held'"),
      suppressedGrouped: one("SELECT count(*) AS n FROM alert_deliveries WHERE reason = 'grouped'"),
      closings: one(
        "SELECT count(*) AS n FROM alert_deliveries WHERE kind IN ('recovered', 'retracted') AND status IN ('pending', 'sent')",
      ),
    };
  } finally {
    db.close();
  }
}

function evidence(failing: boolean): VoteEvidence {
  return {
    status: failing ? 'down' : 'up',
    latencyMs: 3,
    errorKind: failing ? 'refused' : null,
    message: failing ? 'connection refused' : 'connected',
    timings: { connectMs: 1 },
    checkedAt: Date.now(),
  };
}

interface Phase {
  ms: number;
  cpuMs: number;
}

/** Runs one outage and recovery over `count` monitors; returns the timings of both phases. */
async function measure(
  count: number,
  grouping: boolean,
  workDir: string,
): Promise<Record<string, unknown>> {
  const file = path.join(workDir, `mass-${count}-${grouping ? 'grouped' : 'alone'}.db`);
  const store: Store = await openSqliteStore({ file });
  try {
    const now = Date.now();
    const monitors = new Map<string, Monitor>();
    for (let i = 0; i < count; i++) {
      const m = monitor(i, now);
      monitors.set(m.id, m);
      await store.insertMonitor(m);
    }
    const logger = createLogger('silent');
    const ingestor = createIngestor({
      store,
      clock: systemClock,
      logger,
      lookupMonitor: (id) => monitors.get(id),
      flushIntervalMs: 200,
    });
    await ingestor.load();
    let failing = true;
    let rounds = 0;
    const runner = createConsensusRunner({
      clock: systemClock,
      logger,
      selfId: 'coord',
      monitors: () => monitors,
      nodes: () => NODES,
      online: () => true,
      clockOffsetMs: () => 0,
      ingestor,
      // Every node answers on the next turn, as if the network were instant.
      requestVote: (nodeId, request) =>
        setImmediate(() =>
          runner.vote(nodeId, request.roundId, request.monitorId, {
            outcome: failing ? 'fail' : 'ok',
            evidence: evidence(failing),
            canariesFailing: false,
          }),
        ),
      onNodeHealth: () => undefined,
      onRoundDecided: () => rounds++,
      newId: (prefix) => newId(prefix),
      impairedAtStart: {},
      impairment: { impairedAfter: 3 },
      openCauses: new Map(),
      voteMarginMs: 2_000,
      recheckMs: 3_600_000,
      settleMs: 3_600_000,
      canariesFailing: () => false,
      vantage: DEFAULT_VANTAGE_POLICY,
      grouping: {
        settings: grouping ? DEFAULT_GROUPING : { ...DEFAULT_GROUPING, minMonitors: 0 },
        stored: [],
      },
    });
    runner.start();

    const phase = async (
      kind: 'suspect' | 'recovered',
      done: () => Promise<boolean>,
    ): Promise<Phase> => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (const id of monitors.keys()) {
        runner.signal('eu-1', {
          monitorId: id,
          kind,
          since: Date.now() - 60_000,
          evidence: evidence(kind === 'suspect'),
          canariesFailing: false,
        });
      }
      await withTimeout(
        (async () => {
          while (!(await done())) await sleep(20);
        })(),
        PHASE_LIMIT_MS,
        `${kind} phase with ${count} monitors`,
      );
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1_000 };
    };

    const down = await phase('suspect', async () => {
      await ingestor.flush();
      return (await store.stats()).openIncidents >= count && written(file).held === 0;
    });
    const opened = written(file);
    const roundsDown = rounds;
    failing = false;
    const up = await phase('recovered', async () => {
      await ingestor.flush();
      return (await store.stats()).openIncidents === 0;
    });
    runner.stop();
    await ingestor.stop();
    const closed = written(file);
    return {
      monitors: count,
      grouping,
      causes: HOSTS,
      incidents: opened.incidents,
      groups: opened.groups,
      pages: opened.pages,
      pagesPerCause: round(opened.pages / HOSTS, 1),
      pagesSuppressedGrouped: opened.suppressedGrouped,
      closings: closed.closings,
      nodes: NODES.length,
      rounds: rounds,
      roundsToOpen: roundsDown,
      openAllMs: round(down.ms, 0),
      openCpuMs: round(down.cpuMs, 0),
      incidentsPerSecond: round(count / (down.ms / 1_000), 0),
      resolveAllMs: round(up.ms, 0),
      resolveCpuMs: round(up.cpuMs, 0),
      resolvedPerSecond: round(count / (up.ms / 1_000), 0),
    };
  } finally {
    await store.close();
  }
}

export const massOutage: Scenario = {
  name: 'mass-outage',
  description:
    'consensus when every monitor fails at once: 5 nodes, rounds, incidents, evidence and alerts committed to SQLite',
  async run(context) {
    const sizes = context.sizes ?? (context.quick ? [10_000] : [10_000, 100_000]);
    const runs: Record<string, unknown>[] = [];
    for (const size of sizes) {
      for (const grouping of [false, true])
        runs.push(await measure(size, grouping, context.workDir));
    }
    printTable(
      `mass outage: every monitor suspect at once on ${HOSTS} hosts, 5 nodes answering at once (in-process), one route`,
      [
        'monitors',
        'grouping',
        'incidents',
        'pages',
        'pages/cause',
        'closings',
        'rounds',
        'open all s',
        'CPU s',
        'incidents/s',
        'resolve all s',
        'resolved/s',
      ],
      runs.map((r) => [
        String(r.monitors),
        r.grouping === true ? 'on' : 'off',
        String(r.incidents),
        String(r.pages),
        String(r.pagesPerCause),
        String(r.closings),
        String(r.rounds),
        round(Number(r.openAllMs) / 1_000, 1),
        round(Number(r.openCpuMs) / 1_000, 1),
        String(r.incidentsPerSecond),
        round(Number(r.resolveAllMs) / 1_000, 1),
        String(r.resolvedPerSecond),
      ]),
    );
    const grouped = runs.filter((r) => r.grouping === true);
    return {
      figures: { runs },
      targets: grouped.map((r) => ({
        target: `mass outage ${String(r.monitors)} monitors: pages per route per cause`,
        measured: String(r.pagesPerCause),
        goal: '1',
        pass: Number(r.pagesPerCause) === 1,
      })),
    };
  },
};

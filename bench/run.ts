/**
 * The benchmark suite (not a test: it measures and reports, it never fails on machine noise).
 *
 *   npm run bench                 full run, about 12 minutes
 *   npm run bench -- --quick      smoke run, about a minute, smaller sizes and windows
 *   npm run bench -- --only ingest,footprint
 *   npm run bench -- --only agent-throughput --sizes 30000 --types http
 *   npm run bench -- --only check-types --types postgres,redis
 *
 * Runs every scenario in sequence; each prints a table and writes bench/results/<name>.json
 * (figures plus machine info). The targets are judged in a summary table and in
 * bench/results/summary.json. Every process started is stopped by pid at the end, on error
 * and on Ctrl-C; all traffic goes to loopback servers started here. Each scenario runs in a
 * fresh Node process of its own, so one scenario's heap (a million results, 100,000 jobs)
 * cannot slow the next one's figures with its garbage collection.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChildProcesses } from './lib/child-processes.ts';
import { machineInfo } from './lib/machine.ts';
import type { Scenario, TargetResult } from './lib/scenario.ts';
import { printTable, verdict, writeResultFile } from './lib/scenario.ts';
import { agentThroughput } from './scenarios/agent-throughput.ts';
import { bulkCreate } from './scenarios/bulk-create.ts';
import { checkTypes } from './scenarios/check-types.ts';
import { dashboardScale } from './scenarios/dashboard-scale.ts';
import { detectionLatency } from './scenarios/detection-latency.ts';
import { footprint } from './scenarios/footprint.ts';
import { haCluster } from './scenarios/ha-cluster.ts';
import { housekeeping } from './scenarios/housekeeping.ts';
import { ingest } from './scenarios/ingest.ts';
import { massOutage } from './scenarios/mass-outage.ts';
import { rawCeiling } from './scenarios/raw-ceiling.ts';
import { schedulerMicro } from './scenarios/scheduler.ts';
import { statusPageLoad } from './scenarios/status-page-load.ts';
import { storage } from './scenarios/storage.ts';
import { storeUptime } from './scenarios/store-uptime.ts';

/** In order: the scenarios 1–5, then the micro-benchmarks. */
const SCENARIOS: Scenario[] = [
  agentThroughput,
  rawCeiling,
  ingest,
  footprint,
  detectionLatency,
  massOutage,
  statusPageLoad,
  schedulerMicro,
  storeUptime,
  dashboardScale,
  bulkCreate,
  housekeeping,
  storage,
  checkTypes,
  haCluster,
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    sizes: { type: 'string' },
    types: { type: 'string' },
    // Internal: run one scenario in this process and write its outcome to `--outcome`.
    child: { type: 'string' },
    outcome: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: node bench/run.ts [--quick] [--only name,name] [--sizes n,n] [--types http,tcp]\n\nscenarios:',
  );
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(20)} ${s.description}`);
  process.exit(0);
}
const only = values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}`);
  process.exit(2);
}
const selected = SCENARIOS.filter((s) => !only || only.includes(s.name));
const quick = values.quick;
const machine = machineInfo(quick);
const children = new ChildProcesses();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-bench-'));

// Whatever happens, no child outlives the bench.
process.on('exit', () => {
  children.killAllNow();
  fs.rmSync(workRoot, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping children`);
    void children.stopAll(3_000).finally(() => process.exit(130));
  });
}

/** Runs one scenario in this process, writes its result file, returns status and targets. */
async function runHere(scenario: Scenario): Promise<{ status: string; targets: TargetResult[] }> {
  const workDir = fs.mkdtempSync(path.join(workRoot, `${scenario.name}-`));
  try {
    const outcome = await scenario.run({
      quick,
      children,
      workDir,
      ...(values.sizes ? { sizes: values.sizes.split(',').map(Number) } : {}),
      ...(values.types ? { types: values.types.split(',') } : {}),
    });
    if (outcome.skipped) {
      console.log(`skipped: ${outcome.skipped.reason}`);
      writeResultFile(scenario.name, machine, { skipped: true, reason: outcome.skipped.reason });
      return { status: 'skipped', targets: outcome.targets };
    }
    writeResultFile(scenario.name, machine, { ...outcome.figures, targets: outcome.targets });
    return { status: 'ok', targets: outcome.targets };
  } catch (error) {
    console.error(`bench: ${scenario.name} failed:`, error);
    writeResultFile(scenario.name, machine, { failed: true, error: String(error) });
    return { status: 'failed', targets: [] };
  } finally {
    await children.stopAll();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs one scenario in a child process (same flags) and reads back its outcome. */
async function runInChild(
  scenario: Scenario,
): Promise<{ status: string; targets: TargetResult[] }> {
  const outcomeFile = path.join(workRoot, `${scenario.name}.outcome.json`);
  const passThrough = [
    ...(quick ? ['--quick'] : []),
    ...(values.sizes ? ['--sizes', values.sizes] : []),
    ...(values.types ? ['--types', values.types] : []),
  ];
  const child = children.spawnNode({
    name: `scenario ${scenario.name}`,
    args: [
      import.meta.filename,
      '--child',
      scenario.name,
      '--outcome',
      outcomeFile,
      ...passThrough,
    ],
    inheritOutput: true,
  });
  // Bounded: no scenario is planned to take more than 10 minutes.
  const timer = setTimeout(() => void children.stop(child, 10_000), 20 * 60_000);
  await child.exited;
  clearTimeout(timer);
  try {
    return JSON.parse(fs.readFileSync(outcomeFile, 'utf8')) as {
      status: string;
      targets: TargetResult[];
    };
  } catch {
    return { status: 'failed', targets: [] };
  }
}

if (values.child !== undefined) {
  const scenario = SCENARIOS.find((s) => s.name === values.child);
  if (!scenario) throw new Error(`unknown scenario ${values.child}`);
  const outcome = await runHere(scenario);
  if (values.outcome) fs.writeFileSync(values.outcome, JSON.stringify(outcome));
  process.exit(0);
}

console.log(
  `crosscheck bench (${machine.mode}): ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}, commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}`,
);
const started = performance.now();
const summary: { scenario: string; status: string; seconds: number; targets: TargetResult[] }[] =
  [];
for (const scenario of selected) {
  console.log(`\n=== ${scenario.name}: ${scenario.description}`);
  const scenarioStarted = performance.now();
  const { status, targets } = await runInChild(scenario);
  const seconds = Math.round((performance.now() - scenarioStarted) / 100) / 10;
  summary.push({ scenario: scenario.name, status, seconds, targets });
}
const allTargets = summary.flatMap((s) => s.targets);
printTable(
  `summary (${machine.mode} run, ${Math.round((performance.now() - started) / 1000)} s; figures on a shared machine are noisy)`,
  ['target', 'goal', 'measured', 'verdict'],
  allTargets.map((t) => [t.target, t.goal, t.measured, verdict(t.pass)]),
);
printTable(
  'scenarios',
  ['scenario', 'status', 'seconds'],
  summary.map((s) => [s.scenario, s.status, s.seconds]),
);
writeResultFile('summary', machine, {
  scenarios: summary.map(({ scenario, status, seconds }) => ({ scenario, status, seconds })),
  targets: allTargets,
  passed: allTargets.filter((t) => t.pass === true).length,
  missed: allTargets.filter((t) => t.pass === false).length,
});

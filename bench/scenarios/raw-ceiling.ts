/**
 * Scenario 2 — throughput at saturation as a share of the machine's raw ceiling.
 *
 * Ceiling: a plain Node process doing fresh-connection HTTP GETs against the loopback target
 * with the daemon's concurrency limit (256), as fast as it can. Ours: the real daemon with far
 * more demand than it can serve (10,000 HTTP monitors at the 1 s minimum interval = 10,000
 * checks/s planned), so its achieved checks/s is its ceiling: check, state machine, batched
 * SQLite writes, metrics and all. Both use the same target process and the same concurrency.
 * The ceiling runs right before and right after the daemon and the ratio uses their mean, so a
 * change in machine load during the scenario hits both sides. Because the machine is shared,
 * the CPU cost per check (process CPU time / checks) is reported too: it moves much less with
 * other people's load than checks/s does. A third row runs Crosscheck's check path alone
 * (runCheck in the same plain loop), separating the check's own cost from the daemon's.
 */
import path from 'node:path';
import { firstJsonLine } from '../lib/child-processes.ts';
import type { LoopbackTarget } from '../lib/loopback-target.ts';
import { startLoopbackTarget } from '../lib/loopback-target.ts';
import type { Scenario, ScenarioContext } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { round } from '../lib/stats.ts';
import { measureSaturated } from '../lib/saturated-daemon.ts';

const CONCURRENCY = 256;
const CLIENT = path.join(import.meta.dirname, '..', 'lib', 'ceiling-client.ts');

/** What one ceiling-client run reports. */
interface CeilingRun {
  mode: string;
  perSecond: number;
  inWindow: number;
  errors: number;
  cpuPercentOfOneCore: number;
}

async function measureCeiling(
  context: ScenarioContext,
  target: LoopbackTarget,
  durationMs: number,
  mode: 'raw' | 'check' = 'raw',
): Promise<CeilingRun> {
  const child = context.children.spawnNode({
    name: 'ceiling-client',
    args: [
      CLIENT,
      '--ports',
      target.httpPorts.join(','),
      '--concurrency',
      String(CONCURRENCY),
      '--warmup-ms',
      '2000',
      '--duration-ms',
      String(durationMs),
      '--mode',
      mode,
    ],
    logFile: path.join(context.workDir, 'ceiling-client.log'),
    readStdout: true,
  });
  try {
    return await firstJsonLine<CeilingRun>(child, durationMs + 20_000);
  } finally {
    await context.children.stop(child);
  }
}

export const rawCeiling: Scenario = {
  name: 'raw-ceiling',
  description: 'plain fresh-connection GET loop vs the daemon at saturation: checks/s and ratio',
  async run(context) {
    const durationMs = context.quick ? 3_000 : 10_000;
    const target = await startLoopbackTarget(
      context.children,
      path.join(context.workDir, 'target.log'),
    );
    try {
      const ceilings = [await measureCeiling(context, target, durationMs)];
      const ours = await measureSaturated(context, target, {
        monitors: 10_000,
        intervalMs: 1_000,
        concurrency: CONCURRENCY,
        warmupMs: context.quick ? 3_000 : 5_000,
        windowMs: durationMs,
      });
      ceilings.push(await measureCeiling(context, target, durationMs));
      const checkPath = await measureCeiling(context, target, durationMs, 'check');
      const ceiling = Math.round(
        ceilings.reduce((sum, c) => sum + c.perSecond, 0) / ceilings.length,
      );
      const ratioPercent = round((ours.checksPerSecond / ceiling) * 100, 1);
      const cpuUs = (cpuPercent: number, perSecond: number): number =>
        perSecond > 0 ? Math.round((cpuPercent * 10_000) / perSecond) : 0;
      const ceilingCpuUs = Math.round(
        ceilings.reduce((sum, c) => sum + cpuUs(c.cpuPercentOfOneCore, c.perSecond), 0) /
          ceilings.length,
      );
      const oursCpuUs = cpuUs(ours.daemonCpuPercent, ours.checksPerSecond);
      const cpuRatioPercent = oursCpuUs > 0 ? round((ceilingCpuUs / oursCpuUs) * 100, 1) : 0;
      const row = (name: string, perSecond: number, cpu: number, target: string, bad: number) => [
        name,
        perSecond,
        `${cpu} %`,
        cpuUs(cpu, perSecond),
        target,
        bad,
      ];
      printTable(
        'raw ceiling vs daemon at saturation (fresh connection per GET, concurrency 256)',
        ['run', 'checks/s', 'cpu (one core)', 'cpu µs/check', 'target cpu', 'errors / not up'],
        [
          ...ceilings.map((c, i) =>
            row(`plain GET loop #${i + 1}`, c.perSecond, c.cpuPercentOfOneCore, '', c.errors),
          ),
          row(
            'check path only (runCheck loop)',
            checkPath.perSecond,
            checkPath.cpuPercentOfOneCore,
            '',
            checkPath.errors,
          ),
          row(
            'daemon, 10k monitors @1 s',
            ours.checksPerSecond,
            ours.daemonCpuPercent,
            `${ours.targetCpuPercent} %`,
            ours.notUp,
          ),
          ['ratio daemon / mean ceiling', `${ratioPercent} %`, '', `${cpuRatioPercent} %`, '', ''],
        ],
      );
      return {
        figures: {
          concurrency: CONCURRENCY,
          durationMs,
          ceilings,
          ceiling,
          checkPath,
          ours,
          ratioPercent,
          cpuMicrosecondsPerCheck: {
            ceiling: ceilingCpuUs,
            checkPath: cpuUs(checkPath.cpuPercentOfOneCore, checkPath.perSecond),
            daemon: oursCpuUs,
          },
          cpuEfficiencyPercent: cpuRatioPercent,
        },
        targets: [
          {
            target: 'throughput at saturation / raw ceiling',
            goal: '≥ 70 %',
            measured: `${ratioPercent} % (${ours.checksPerSecond} of ${ceiling}/s; CPU/check ${cpuRatioPercent} %)`,
            pass: ratioPercent >= 70,
          },
        ],
      };
    } finally {
      await context.children.stop(target.child);
    }
  },
};

/**
 * Scenario 2 — throughput at saturation as a share of the machine's raw ceiling.
 *
 * Ceiling: a plain Node process doing fresh-connection HTTP GETs against the loopback target
 * with the daemon's concurrency limit (256), as fast as it can. Ours: the real daemon with far
 * more demand than it can serve (10,000 HTTP monitors at the 1 s minimum interval = 10,000
 * checks/s planned), so its achieved checks/s is its ceiling: check, state machine, batched
 * SQLite writes, metrics and all. Both use the same target process and the same concurrency;
 * the ceiling runs before and after the daemon (full run) and the higher figure is used, so
 * machine noise does not flatter the ratio.
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
  perSecond: number;
  inWindow: number;
  errors: number;
  cpuPercentOfOneCore: number;
}

async function measureCeiling(
  context: ScenarioContext,
  target: LoopbackTarget,
  durationMs: number,
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
    const durationMs = context.quick ? 5_000 : 10_000;
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
      if (!context.quick) ceilings.push(await measureCeiling(context, target, durationMs));
      const ceiling = Math.max(...ceilings.map((c) => c.perSecond));
      const ratioPercent = round((ours.checksPerSecond / ceiling) * 100, 1);
      printTable(
        'raw ceiling vs daemon at saturation (fresh connection per GET, concurrency 256)',
        ['run', 'checks/s', 'cpu of one core', 'target cpu', 'errors / not up'],
        [
          ...ceilings.map((c, i) => [
            `plain loop #${i + 1}`,
            c.perSecond,
            `${c.cpuPercentOfOneCore} %`,
            '',
            c.errors,
          ]),
          [
            'daemon, 10k monitors @1 s',
            ours.checksPerSecond,
            `${ours.daemonCpuPercent} %`,
            `${ours.targetCpuPercent} %`,
            ours.notUp,
          ],
          ['ratio daemon / ceiling', `${ratioPercent} %`, '', '', ''],
        ],
      );
      return {
        figures: { concurrency: CONCURRENCY, durationMs, ceilings, ceiling, ours, ratioPercent },
        targets: [
          {
            target: 'throughput at saturation / raw ceiling',
            goal: '≥ 70 %',
            measured: `${ratioPercent} % (${ours.checksPerSecond} of ${ceiling}/s)`,
            pass: ratioPercent >= 70,
          },
        ],
      };
    } finally {
      await context.children.stop(target.child);
    }
  },
};

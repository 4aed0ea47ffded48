import fs from 'node:fs';
import path from 'node:path';

/** The preload `startDaemon` gives a daemon whose event-loop delay is wanted. */
export const LOOP_DELAY_PRELOAD = path.join(import.meta.dirname, 'loop-delay-preload.ts');

/** The Node flags and environment that make a daemon write its event-loop delay to `file`. */
export function loopDelayLaunch(file: string): { nodeArgs: string[]; env: NodeJS.ProcessEnv } {
  return {
    nodeArgs: ['--import', LOOP_DELAY_PRELOAD],
    env: { ...process.env, CROSSCHECK_BENCH_LOOP_DELAY_FILE: file },
  };
}

/**
 * The longest event-loop delay (ms) the daemon recorded in intervals ending within
 * [fromMs, toMs] (epoch ms); undefined when the file holds none (no preload, or too short).
 */
export function maxLoopDelayMs(file: string, fromMs: number, toMs: number): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let max: number | undefined;
  for (const line of text.split('\n')) {
    const [at, lineMax] = line.split(' ').map(Number);
    if (at === undefined || lineMax === undefined || Number.isNaN(lineMax)) continue;
    if (at < fromMs || at > toMs) continue;
    max = Math.max(max ?? 0, lineMax);
  }
  return max;
}

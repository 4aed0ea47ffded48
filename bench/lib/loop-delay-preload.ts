/**
 * Loaded into a bench daemon with `--import` (see `startDaemon`'s `loopDelayFile`): samples the
 * daemon's event-loop delay (`monitorEventLoopDelay`) and appends one line per interval,
 * `<epoch ms> <max ms> <p99 ms>`, to the file named by CROSSCHECK_BENCH_LOOP_DELAY_FILE, so a
 * scenario can read the longest block within its own window. Nothing runs without the variable.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.CROSSCHECK_BENCH_LOOP_DELAY_FILE;
const INTERVAL_MS = 250;

if (file !== undefined && file !== '') {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const flush = (): void => {
    if (histogram.count === 0) return;
    const line = `${Date.now()} ${(histogram.max / 1e6).toFixed(1)} ${(histogram.percentile(99) / 1e6).toFixed(1)}\n`;
    histogram.reset();
    fs.appendFileSync(file, line);
  };
  // A block delays this timer too: the interval that ends after it records it.
  setInterval(flush, INTERVAL_MS).unref();
  process.once('exit', flush);
}

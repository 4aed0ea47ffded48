import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../observability/logger.ts';

/** Late checks are summarised at most this often. */
const LATE_REPORT_MS = 10_000;

/**
 * At saturation every check is late: one summary line per period (count, worst lag and its
 * monitor) instead of one per check.
 */
export class LateChecks {
  readonly #log: Logger;
  readonly #clock: Clock;
  #count = 0;
  #worstMs = 0;
  #example = '';
  #since: number;

  constructor(log: Logger, clock: Clock) {
    this.#log = log;
    this.#clock = clock;
    this.#since = clock.now();
  }

  note(monitorId: string, lagMs: number): void {
    this.#count++;
    if (lagMs > this.#worstMs) {
      this.#worstMs = lagMs;
      this.#example = monitorId;
    }
    const now = this.#clock.now();
    if (now - this.#since < LATE_REPORT_MS) return;
    this.#log.warn(
      {
        lateChecks: this.#count,
        worstLagMs: this.#worstMs,
        monitorId: this.#example,
        windowMs: now - this.#since,
      },
      'checks started late: the node is overloaded (fewer monitors, longer intervals, or more --concurrency)',
    );
    this.#count = 0;
    this.#worstMs = 0;
    this.#example = '';
    this.#since = now;
  }
}

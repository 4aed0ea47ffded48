/**
 * Scenario 5 — detection latency: target stop → incident open → webhook received, p50/p95.
 *
 * SLOT FOR ISSUE #4 (quorum consensus). Detection as the issue defines it needs several
 * vantage nodes and a confirmation round, which do not exist yet, so this scenario only
 * reports that it is skipped. To fill it: start a small cluster on loopback (or in the netns
 * harness), a webhook receiver and the loopback target from `bench/lib/`; stop the target and
 * time incident open (API) and webhook arrival; return `figures` with p50/p95 and a target
 * row, and drop `skipped`. The runner already writes the JSON and the summary row.
 */
import type { Scenario } from '../lib/scenario.ts';

export const SKIP_REASON = 'needs consensus (issue #4)';

export const detectionLatency: Scenario = {
  name: 'detection-latency',
  description: 'target stop → incident → webhook, p50/p95 (needs quorum consensus, issue #4)',
  run() {
    return Promise.resolve({
      figures: {},
      targets: [
        {
          target: 'detection latency (stop → webhook)',
          goal: 'measured',
          measured: `skipped: ${SKIP_REASON}`,
          pass: null,
        },
      ],
      skipped: { reason: SKIP_REASON },
    });
  },
};

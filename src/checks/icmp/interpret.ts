import type { CheckDetails, CheckResult } from '../../domain/check-result.ts';
import { isSlowerThan } from '../degraded-after.ts';
import { degradedResult, downResult, nodeErrorResult, nodeFaultOf, upResult } from '../outcome.ts';
import type { PingSummary } from './ping-output.ts';
import { parsePingOutput } from './ping-output.ts';
import type { PingRun } from './run-ping.ts';

/** How to get a working ping; appended to a node error about a missing one. */
export const ICMP_INSTALL_HINT = 'install iputils-ping (apt-get install iputils-ping)';
/** How to let ping open its socket; appended to a node error about permissions. */
export const ICMP_PERMISSION_HINT =
  'allow it with sysctl net.ipv4.ping_group_range or setcap cap_net_raw+ep on ping';

/** What the run is judged against. */
export interface PingVerdictInput {
  elapsedMs: number;
  timeoutMs: number;
  /** The caller cancelled before the deadline (shutdown). */
  cancelled: boolean;
  degradedThresholdMs: number | undefined;
}

const NAME_ERRORS =
  /Name or service not known|Temporary failure in name resolution|No address associated with hostname|Address family for hostname not supported|unknown host/i;
const NOT_PERMITTED = /Operation not permitted|Permission denied/i;

/**
 * Turns a ping run into a result. `latencyMs` is the average round-trip time when replies came
 * (the process's wall time would mostly measure the gaps between requests).
 */
export function interpretPing(run: PingRun, input: PingVerdictInput): CheckResult {
  const { elapsedMs } = input;
  // Ping that cannot start, or may not open its socket, is this node's fault, not the target's.
  if (run.kind === 'spawn-error') {
    const reason = errorCode(run.error) ?? 'spawn failed';
    const fault = nodeFaultOf(run.error, 'ping') ?? 'could not start ping';
    const message = reason === 'ENOENT' ? `${fault}: ${ICMP_INSTALL_HINT}` : fault;
    return nodeErrorResult(elapsedMs, message, { reason });
  }
  if (run.kind === 'killed') {
    const message = input.cancelled
      ? `check cancelled after ${Math.round(elapsedMs)} ms`
      : `no ping result within ${input.timeoutMs} ms`;
    return downResult('timeout', elapsedMs, message);
  }
  const summary = parsePingOutput(run.stdout);
  const complaint = firstLine(run.stderr);
  if (NAME_ERRORS.test(run.stderr))
    return downResult('dns', elapsedMs, `cannot resolve host: ${complaint}`);
  if (!summary && NOT_PERMITTED.test(run.stderr))
    return nodeErrorResult(
      elapsedMs,
      `no permission to run ping on this node (${complaint}): ${ICMP_PERMISSION_HINT}`,
      { reason: complaint },
    );
  if (!summary) {
    const why = complaint === '' ? `exit code ${String(run.exitCode)}` : complaint;
    return downResult('network', elapsedMs, `ping failed: ${why}`);
  }
  return judgeReplies(summary, input);
}

function judgeReplies(summary: PingSummary, input: PingVerdictInput): CheckResult {
  const details = summaryDetails(summary);
  if (summary.received === 0 || summary.rttAvgMs === undefined)
    return downResult(
      'timeout',
      input.elapsedMs,
      `100% packet loss (${summary.sent} sent)`,
      {},
      details,
    );
  const avg = summary.rttAvgMs;
  const replies = `${summary.received}/${summary.sent} replies, avg ${formatMs(avg)} ms`;
  if (summary.lossPercent > 0)
    return degradedResult(avg, `${summary.lossPercent}% packet loss (${replies})`, {}, details);
  if (isSlowerThan(avg, input.degradedThresholdMs))
    return degradedResult(
      avg,
      `${replies} (slower than ${input.degradedThresholdMs} ms)`,
      {},
      details,
    );
  return upResult(avg, replies, {}, details);
}

function summaryDetails(summary: PingSummary): CheckDetails {
  return {
    sent: summary.sent,
    received: summary.received,
    lossPercent: summary.lossPercent,
    rttMinMs: summary.rttMinMs ?? null,
    rttAvgMs: summary.rttAvgMs ?? null,
    rttMaxMs: summary.rttMaxMs ?? null,
  };
}

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return line.replace(/^ping: /, '').trim();
}

function errorCode(error: unknown): string | undefined {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  )
    return error.code;
  return undefined;
}

import { z } from 'zod';
import {
  checkTypeSchema,
  getCheck,
  parseCheckConfig,
  redactCheckOptions,
} from '../checks/registry.ts';
import type { CheckType } from '../checks/types.ts';
import { selectorMatches } from '../cluster/assignment.ts';
import type { ProbeCheck, VoteEvidence } from '../domain/consensus.ts';
import type { Monitor } from '../domain/monitor.ts';
import { MONITOR_LIMITS } from '../domain/monitor.ts';
import type { ProbeOutcome, ProbeVerdict } from '../consensus/probe-verdict.ts';
import { probeVerdict } from '../consensus/probe-verdict.ts';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import { parseDuration } from '../lib/duration.ts';
import { isAppError, validationError } from '../lib/errors.ts';
import type { Logger } from '../observability/logger.ts';
import { zodIssues } from './monitors/monitor-input.ts';
import { checkSecrets, maskText } from './probe-secrets.ts';

/** How long past the check's own timeout a node has to answer (channel round trip, queueing). */
export const PROBE_ANSWER_MARGIN_MS = 2_000;

/** A node a probe runs on. */
export interface ProbeNode {
  id: string;
  name: string;
  region: string | null;
  /** The node's labels, matched against a monitor's node selector (none: no labels). */
  labels?: Readonly<Record<string, string>>;
}

export interface ProbeServiceDeps {
  /** The online nodes, the coordinator included. */
  nodes(): ProbeNode[] | Promise<ProbeNode[]>;
  /** Runs the check on one node; resolves null when the node cannot answer. */
  run(nodeId: string, check: ProbeCheck): Promise<VoteEvidence | null>;
  clock: Clock;
  logger?: Logger;
}

/** One node's row in a probe report. */
export interface ProbeNodeReport {
  nodeId: string;
  name: string;
  region: string | null;
  outcome: ProbeOutcome;
  /** What the node saw; null when it did not answer. */
  evidence: VoteEvidence | null;
  /** Why a node has no answer ("no answer within 12s"); null when it answered. */
  error: string | null;
}

/** What `crosscheck probe` prints: the check as run, every node's answer, the verdict. */
export interface ProbeReport {
  /** The validated check; option values that may hold credentials are masked. */
  check: ProbeCheck;
  /** Sorted by region (nodes without one last), then name. */
  nodes: ProbeNodeReport[];
  verdict: ProbeVerdict;
}

/** Runs one check on online nodes now: an ad-hoc one, or a stored monitor's. */
export interface ProbeService {
  /** An ad-hoc check (validated here) on every online node. */
  probe(input: unknown): Promise<ProbeReport>;
  /**
   * The monitor's stored check (secrets included) on the online nodes its selector names. The
   * report masks its secrets everywhere, node errors and messages too.
   */
  probeMonitor(monitor: Monitor): Promise<ProbeReport>;
}

export const probeInputSchema = z
  .object({
    type: checkTypeSchema,
    target: z.string().trim().min(1, 'must not be empty'),
    options: z.record(z.string(), z.unknown()).optional(),
    timeoutMs: z.union([z.number(), z.string()]).optional(),
  })
  .strict();

/**
 * Validates a probe request: type, target and options by the check type's schema, timeout.
 * Returns the check plus its type as a CheckType (ProbeCheck carries it as a wire string).
 */
export function parseProbeInput(input: unknown): { check: ProbeCheck; type: CheckType } {
  const parsed = probeInputSchema.safeParse(input ?? {});
  if (!parsed.success) throw validationError(zodIssues(parsed.error));
  const { type, target, options, timeoutMs } = parsed.data;
  const issues: { path: string; message: string }[] = [];
  const timeout = probeTimeout(type, timeoutMs, issues);
  let config = { target, options: options ?? {} };
  try {
    config = parseCheckConfig(type, target, options ?? {});
  } catch (error) {
    if (!isAppError(error)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0) throw validationError(issues);
  return {
    check: { type, target: config.target, options: config.options, timeoutMs: timeout },
    type,
  };
}

function probeTimeout(
  type: CheckType,
  given: number | string | undefined,
  issues: { path: string; message: string }[],
): number {
  if (given === undefined) return getCheck(type).defaultTimeoutMs;
  const ms = typeof given === 'number' ? given : parseDuration(given);
  const { minTimeoutMs: min, maxTimeoutMs: max } = MONITOR_LIMITS;
  if (ms === undefined || !Number.isInteger(ms) || ms < min || ms > max) {
    issues.push({
      path: 'timeoutMs',
      message: `expected a duration between ${min} ms and ${max} ms (like 5s), got ${JSON.stringify(given)}`,
    });
    return 0;
  }
  return ms;
}

/** Builds the probe service over the cluster's nodes. */
export function createProbeService(deps: ProbeServiceDeps): ProbeService {
  /** One node's answer, or no-answer at the deadline (the node's late answer is ignored). */
  async function ask(node: ProbeNode, check: ProbeCheck): Promise<ProbeNodeReport> {
    const base = { nodeId: node.id, name: node.name, region: node.region };
    const waitMs = check.timeoutMs + PROBE_ANSWER_MARGIN_MS;
    let timer: TimerHandle | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = deps.clock.setTimeout(() => resolve('deadline'), waitMs);
    });
    try {
      const answer = await Promise.race([deps.run(node.id, check), deadline]);
      if (answer === 'deadline')
        return {
          ...base,
          outcome: 'no-answer',
          evidence: null,
          error: `no answer within ${waitMs} ms`,
        };
      if (answer === null || answer.status === null)
        return {
          ...base,
          outcome: 'no-answer',
          evidence: answer,
          error: 'the node could not run the check',
        };
      // A node error is that node's fault: "could not check", never "down from" it.
      const outcome =
        answer.status === 'error' ? 'error' : answer.status === 'down' ? 'fail' : 'ok';
      return { ...base, outcome, evidence: answer, error: null };
    } catch (error) {
      // One node failing to answer must not sink the whole probe: it shows as no-answer, with
      // an AppError's message, or (for a bug) a generic one while the cause goes to the log.
      if (!isAppError(error))
        deps.logger?.error({ err: error, nodeId: node.id }, 'probe run failed on a node');
      const reason = isAppError(error) ? error.message : 'internal error (see the coordinator log)';
      return { ...base, outcome: 'no-answer', evidence: null, error: reason };
    } finally {
      if (timer !== undefined) deps.clock.clearTimeout(timer);
    }
  }

  async function run(check: ProbeCheck, type: CheckType, nodes: ProbeNode[]) {
    const reports = await Promise.all([...nodes].sort(byRegionThenName).map((n) => ask(n, check)));
    return {
      check: { ...check, options: redactCheckOptions(type, check.options) },
      nodes: reports,
      verdict: probeVerdict(
        reports.map((r) => ({ nodeName: r.name, region: r.region, outcome: r.outcome })),
      ),
    };
  }

  return {
    async probe(input) {
      const { check, type } = parseProbeInput(input);
      return run(check, type, await deps.nodes());
    },
    async probeMonitor(monitor) {
      const { type, target, options, timeoutMs } = monitor;
      const eligible = (await deps.nodes()).filter((node) =>
        selectorMatches(monitor.nodes, { region: node.region, labels: node.labels ?? {} }),
      );
      const report = await run({ type, target, options, timeoutMs }, type, eligible);
      return maskReport(report, checkSecrets(type, target, options));
    },
  };
}

/** A probe report with every secret masked wherever a string may carry it, errors included. */
function maskReport(report: ProbeReport, secrets: readonly string[]): ProbeReport {
  if (secrets.length === 0) return report;
  const node = (row: ProbeNodeReport): ProbeNodeReport => ({
    ...row,
    error: row.error === null ? null : maskText(row.error, secrets),
    evidence:
      row.evidence === null
        ? null
        : { ...row.evidence, message: maskText(row.evidence.message, secrets) },
  });
  return {
    ...report,
    check: { ...report.check, target: maskText(report.check.target, secrets) },
    nodes: report.nodes.map(node),
  };
}

function byRegionThenName(a: ProbeNode, b: ProbeNode): number {
  if (a.region !== b.region) {
    if (a.region === null) return 1;
    if (b.region === null) return -1;
    return a.region.localeCompare(b.region);
  }
  return a.name.localeCompare(b.name);
}

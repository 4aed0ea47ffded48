import { parseChannelSettings } from '../alerts/registry.ts';
import { isAppError } from '../lib/errors.ts';
import type { AppError } from '../lib/errors.ts';
import { createTargetSchema } from '../services/alert-targets/target-input.ts';
import type { CreateTargetInput } from '../services/alert-targets/target-input.ts';
import { buildMonitor, zodIssues } from '../services/monitors/monitor-input.ts';
import type { CreateMonitorInput } from '../services/monitors/monitor-input.ts';
import type { ImportPlan, UnmappedItem, UnmappedKind } from './types.ts';

/** Longest target name the target schema accepts. */
const MAX_TARGET_NAME = 100;

/**
 * Collects a plan, validating every item with the operations' own schemas as it is added: an
 * item the operation would refuse goes to `unmapped` with the operation's reason instead.
 */
export interface PlanBuilder {
  /** Adds a target; returns its Crosscheck name, or undefined when it was refused. */
  addTarget(
    source: { name: string; type: string },
    target: Omit<CreateTargetInput, 'name'>,
  ): string | undefined;
  /** Adds a monitor; false when it was refused (and reported). */
  addMonitor(sourceType: string, input: CreateMonitorInput): boolean;
  unmapped(kind: UnmappedKind, name: string, sourceType: string, reason: string): void;
  warn(name: string, message: string): void;
  build(): ImportPlan;
}

export function createPlanBuilder(source: string): PlanBuilder {
  const plan: ImportPlan = { source, alertTargets: [], monitors: [], unmapped: [], warnings: [] };
  const targetNames = new Set<string>();
  const monitorNames = new Set<string>();
  const unmapped = (item: UnmappedItem) => plan.unmapped.push(item);

  return {
    addTarget(from, target) {
      const name = uniqueName(targetSlug(from.name, from.type), targetNames);
      const input: CreateTargetInput = { name, ...target };
      const problem = targetProblem(input);
      if (problem !== undefined) {
        unmapped({ kind: 'notification', name: from.name, sourceType: from.type, reason: problem });
        return undefined;
      }
      targetNames.add(name);
      plan.alertTargets.push({ sourceName: from.name, sourceType: from.type, input });
      return name;
    },
    addMonitor(sourceType, input) {
      const name = uniqueMonitorName(input.name, monitorNames);
      if (name !== input.name) {
        plan.warnings.push({
          name: input.name,
          message: `another monitor has the same name; this one is imported as "${name}"`,
        });
      }
      const named = { ...input, name };
      const problem = monitorProblem(named);
      if (problem !== undefined) {
        unmapped({ kind: 'monitor', name: input.name, sourceType, reason: problem });
        return false;
      }
      monitorNames.add(name);
      plan.monitors.push({ sourceType, input: named });
      return true;
    },
    unmapped(kind, name, sourceType, reason) {
      unmapped({ kind, name, sourceType, reason });
    },
    warn(name, message) {
      plan.warnings.push({ name, message });
    },
    build: () => plan,
  };
}

/** Why `alerts.targets.create` would refuse the input, or undefined when it would take it. */
function targetProblem(input: CreateTargetInput): string | undefined {
  const parsed = createTargetSchema.safeParse(input);
  if (!parsed.success) return issuesText(zodIssues(parsed.error));
  return refusal(() => parseChannelSettings(parsed.data.type, parsed.data.settings));
}

/** Why `monitors.create` would refuse the input (target, options, routes…), or undefined. */
function monitorProblem(input: CreateMonitorInput): string | undefined {
  // The id and clock only fill the stored record; validation does not depend on them.
  return refusal(() => buildMonitor(input, 'import-check', 0));
}

function refusal(validate: () => unknown): string | undefined {
  try {
    validate();
    return undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return appErrorText(error);
  }
}

function appErrorText(error: AppError): string {
  return error.issues.length > 0 ? issuesText(error.issues) : error.message;
}

function issuesText(issues: readonly { path: string; message: string }[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** A target name from a source name: `Ops Slack (#alerts)` → `ops-slack-alerts`. */
export function targetSlug(name: string, type: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_TARGET_NAME - 4);
  return slug === '' ? targetSlug(type, 'target') : slug;
}

function uniqueName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

function uniqueMonitorName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
  return name;
}

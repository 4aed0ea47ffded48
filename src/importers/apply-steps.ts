import type { ImportPlan, PlannedMonitor, PlannedTarget } from './types.ts';

/** What applying a plan writes, and what it leaves because the name is taken already. */
export interface ApplySteps {
  alertTargets: PlannedTarget[];
  monitors: PlannedMonitor[];
  skippedTargets: string[];
  skippedMonitors: string[];
}

/**
 * Re-running an import skips objects whose name exists instead of duplicating them (pure).
 * A skipped target is still routed to: the monitors name it, and the existing one answers.
 */
export function applySteps(
  plan: ImportPlan,
  existing: { monitorNames: ReadonlySet<string>; targetNames: ReadonlySet<string> },
): ApplySteps {
  const isNewTarget = (t: PlannedTarget) => !existing.targetNames.has(t.input.name);
  const isNewMonitor = (m: PlannedMonitor) => !existing.monitorNames.has(m.input.name);
  return {
    alertTargets: plan.alertTargets.filter(isNewTarget),
    monitors: plan.monitors.filter(isNewMonitor),
    skippedTargets: plan.alertTargets.filter((t) => !isNewTarget(t)).map((t) => t.input.name),
    skippedMonitors: plan.monitors.filter((m) => !isNewMonitor(m)).map((m) => m.input.name),
  };
}

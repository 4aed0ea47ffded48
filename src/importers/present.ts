import { redactChannelSettings } from '../alerts/registry.ts';
import { redactCheckOptions } from '../checks/registry.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import type { ImportPlan, PlannedMonitor, PlannedTarget } from './types.ts';

/**
 * The plan as it may be printed: target settings with the channel's secrets masked, monitor
 * options with the check type's secrets (credential headers) masked.
 */
export function presentPlan(plan: ImportPlan): ImportPlan {
  return {
    ...plan,
    alertTargets: plan.alertTargets.map(presentTarget),
    monitors: plan.monitors.map(presentMonitor),
  };
}

function presentTarget(target: PlannedTarget): PlannedTarget {
  const { input } = target;
  return {
    ...target,
    input: { ...input, settings: redactChannelSettings(input.type, input.settings) },
  };
}

function presentMonitor(monitor: PlannedMonitor): PlannedMonitor {
  // Planned monitors passed buildMonitor already; its parsed options are what redaction reads.
  const built = buildMonitor(monitor.input, 'import-check', 0);
  return {
    ...monitor,
    input: { ...monitor.input, options: redactCheckOptions(built.type, built.options) },
  };
}

import { redactAlertRoute } from '../alerts/registry.ts';
import { redactCheckOptions } from '../checks/registry.ts';
import type { Monitor } from '../domain/monitor.ts';

/** A monitor as every transport shows it: alert secrets and credential headers masked. */
export function presentMonitor(monitor: Monitor): Monitor {
  return {
    ...monitor,
    options: redactCheckOptions(monitor.type, monitor.options),
    alerts: monitor.alerts.map(redactAlertRoute),
    regionalAlerts: monitor.regionalAlerts.map(redactAlertRoute),
  };
}

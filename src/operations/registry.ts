import * as alertTargetOps from './alert-target-ops.ts';
import * as authOps from './auth-ops.ts';
import * as clusterOps from './cluster-ops.ts';
import * as configOps from './config-ops.ts';
import * as historyOps from './history-ops.ts';
import * as incidentOps from './incident-ops.ts';
import * as incidentUpdateOps from './incident-update-ops.ts';
import * as bulkOps from './bulk-ops.ts';
import * as checkTypeOps from './check-type-ops.ts';
import type { AnyOperation } from './kit.ts';
import * as maintenanceOps from './maintenance-ops.ts';
import * as monitorOps from './monitor-ops.ts';
import * as pushOps from './push-ops.ts';
import * as overviewOps from './overview-ops.ts';
import * as statusPageOps from './status-page-ops.ts';

/**
 * Every operation, in the order OpenAPI and MCP list them. Adding one = defining it in an
 * `*-ops.ts` file of its area; the modules are listed here once.
 */
export const OPERATIONS: readonly AnyOperation[] = [
  ...Object.values(monitorOps),
  ...Object.values(pushOps),
  ...Object.values(overviewOps),
  ...Object.values(checkTypeOps),
  ...Object.values(bulkOps),
  ...Object.values(historyOps),
  ...Object.values(incidentOps),
  ...Object.values(incidentUpdateOps),
  ...Object.values(alertTargetOps),
  ...Object.values(maintenanceOps),
  ...Object.values(statusPageOps),
  ...Object.values(clusterOps),
  ...Object.values(configOps),
  ...Object.values(authOps),
];

const BY_NAME = new Map(OPERATIONS.map((op) => [op.name, op]));

/** The operation with this name, if any. */
export function findOperation(name: string): AnyOperation | undefined {
  return BY_NAME.get(name);
}

/**
 * Compile-time proof that the form pages' declared API shapes (web/src/api/forms-types.ts) are
 * what the operations return: each line fails `tsc -p .` if a server schema drifts from them.
 */
import type { z } from 'zod';
import type * as Web from '../../web/src/api/forms-types.ts';
import type {
  alertRuleSchema,
  channelInfoSchema,
  targetViewSchema,
  testSendResultSchema,
} from '../../src/operations/schemas/alert-targets.ts';
import type {
  checkTypeInfoSchema,
  checkTypesSchema,
} from '../../src/operations/schemas/check-types.ts';
import type { maintenanceWindowSchema } from '../../src/operations/schemas/maintenance.ts';
import type { monitorSchema } from '../../src/operations/schemas/monitors.ts';

/** True when an API value of type `Api` can be read as the dashboard's `Shape`. */
type Reads<Api, Shape> = [Api] extends [Shape] ? true : false;
type Assert<T extends true> = T;

export type Checks = [
  Assert<Reads<z.output<typeof checkTypeInfoSchema>, Web.CheckTypeInfo>>,
  Assert<Reads<z.output<typeof checkTypesSchema>, Web.CheckTypes>>,
  Assert<Reads<z.output<typeof monitorSchema>, Web.MonitorView>>,
  Assert<Reads<z.output<typeof channelInfoSchema>, Web.ChannelInfo>>,
  Assert<Reads<z.output<typeof targetViewSchema>, Web.TargetView>>,
  Assert<Reads<z.output<typeof alertRuleSchema>, Web.AlertRule>>,
  Assert<Reads<z.output<typeof testSendResultSchema>, Web.TestSendResult>>,
  Assert<Reads<z.output<typeof maintenanceWindowSchema>, Web.MaintenanceWindowView>>,
];

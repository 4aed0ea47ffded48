/**
 * Compile-time proof that the Nodes and Settings pages' API shapes (web/src/api/admin-types.ts)
 * are what the operations return: each line fails `tsc -p .` if a server schema drifts.
 */
import type { z } from 'zod';
import type * as Web from '../../web/src/api/admin-types.ts';
import type { createJoinToken } from '../../src/operations/cluster-ops.ts';
import type {
  createdTokenSchema,
  tokenViewSchema,
  totpEnrolmentSchema,
} from '../../src/operations/schemas/auth.ts';
import type { monitorSchema } from '../../src/operations/schemas/monitors.ts';
import type { statusPageSchema } from '../../src/operations/schemas/status-pages.ts';
import type {
  clusterOverviewSchema,
  nodeDetailSchema,
  nodeViewSchema,
} from '../../src/operations/schemas/nodes.ts';

/** True when an API value of type `Api` can be read as the dashboard's `Shape`. */
type Reads<Api, Shape> = [Api] extends [Shape] ? true : false;
type Assert<T extends true> = T;

export type Checks = [
  Assert<Reads<z.output<typeof nodeViewSchema>, Web.NodeView>>,
  Assert<Reads<z.output<typeof nodeDetailSchema>, Web.NodeDetail>>,
  Assert<Reads<z.output<typeof clusterOverviewSchema>, Web.ClusterOverview>>,
  Assert<Reads<z.output<(typeof createJoinToken)['output']>, Web.JoinToken>>,
  Assert<Reads<z.output<typeof tokenViewSchema>, Web.TokenView>>,
  Assert<Reads<z.output<typeof createdTokenSchema>, Web.CreatedToken>>,
  Assert<Reads<z.output<typeof totpEnrolmentSchema>, Web.TotpEnrolment>>,
  Assert<Reads<z.output<typeof statusPageSchema>, Web.StatusPage>>,
  Assert<Reads<z.output<typeof monitorSchema>, Web.MonitorChoice>>,
];

/**
 * Compile-time proof that the dashboard's declared API shapes (web/src/api/types.ts) are what
 * the operations return: each line fails `tsc -p .` if a server schema drifts from them.
 */
import type { z } from 'zod';
import type * as Web from '../../web/src/api/types.ts';
import type { userViewSchema } from '../../src/operations/schemas/auth.ts';
import type { monitorStatusSchema } from '../../src/operations/schemas/monitors.ts';
import type { CrosscheckEvent } from '../../src/services/events/event-types.ts';

/** True when an API value of type `Api` can be read as the dashboard's `Shape`. */
type Reads<Api, Shape> = [Api] extends [Shape] ? true : false;
type Assert<T extends true> = T;

export type Checks = [
  Assert<Reads<z.output<typeof userViewSchema>, Web.UserView>>,
  Assert<Reads<z.output<typeof monitorStatusSchema>, Web.MonitorStatus>>,
  Assert<Reads<CrosscheckEvent & { id: string }, Web.LiveEvent>>,
];

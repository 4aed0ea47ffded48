/**
 * Compile-time proof that the overview page's declared shapes (web/src/api/overview-types.ts)
 * are what monitors.overview returns: `tsc -p .` fails if the server schema drifts from them.
 */
import type { z } from 'zod';
import type * as Web from '../../web/src/api/overview-types.ts';
import type { overviewPageSchema } from '../../src/operations/schemas/overview.ts';

type Reads<Api, Shape> = [Api] extends [Shape] ? true : false;
type Assert<T extends true> = T;

export type Checks = [Assert<Reads<z.output<typeof overviewPageSchema>, Web.OverviewPage>>];

import { z } from 'zod';
import { OVERVIEW_SORTS, OVERVIEW_STATES } from '../services/overview/overview-query.ts';
import { compactOverviewPage } from '../services/overview/day-strip.ts';
import { defineOperation, intParam, listParam } from './kit.ts';
import { overviewPageSchema } from './schemas/overview.ts';

const text = z.string().trim().min(1).max(200);

export const monitorOverview = defineOperation({
  name: 'monitors.overview',
  summary: 'One page of monitors for the dashboard: state, compact 90-day bars, sparkline, regions',
  description:
    'Filters (q, group, tag, state, region) and sorts over every monitor, then returns one page ' +
    'with its expensive parts (daily uptime bars, hourly latency sparkline, per-region views). ' +
    'The bars are compact: one character per day, figures only for days with downtime. ' +
    '`counts` are per state under every filter but `state`. `region` keeps monitors some node ' +
    'of that region runs; with `regionState=down`, only those with an open down incident, an ' +
    'open regional incident naming the region, or the region failing in their last round.',
  input: z
    .object({
      q: text.optional().describe('case-insensitive substring of name, target, group or a tag'),
      group: text.optional(),
      tag: text.optional().describe('a whole tag'),
      state: listParam(z.enum(OVERVIEW_STATES))
        .optional()
        .describe('keep monitors in any of these states (comma-separated)'),
      region: text.optional().describe('keep monitors checked from this region'),
      regionState: z.enum(['down']).optional().describe('with region: only those seen down there'),
      sort: z.enum(OVERVIEW_SORTS).optional().describe('default name'),
      dir: z.enum(['asc', 'desc']).optional().describe('default asc; state asc is worst first'),
      offset: intParam(0, 1_000_000).optional().describe('default 0'),
      limit: intParam(1, 200).optional().describe('page size (default 100)'),
    })
    .strict(),
  output: overviewPageSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/overview' },
  cli: ['overview'],
  mcp: false,
  offline: true,
  async run({ services }, input) {
    const page = await services.queries.overview({
      q: input.q,
      group: input.group,
      tag: input.tag,
      states: input.state,
      region: input.region,
      regionState: input.regionState,
      sort: input.sort ?? 'name',
      dir: input.dir ?? 'asc',
      offset: input.offset ?? 0,
      limit: input.limit ?? 100,
    });
    return compactOverviewPage(page);
  },
});

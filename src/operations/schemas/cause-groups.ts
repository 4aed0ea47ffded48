import { z } from 'zod';
import type { CauseGroupView } from '../../domain/cause-group.ts';
import { SHARED_CAUSE_KINDS } from '../../domain/cause-group.ts';
import type { Agreement, Expect } from './agreement.ts';
import { epochMs } from './results.ts';

/** A group of incidents sharing a cause, as `incidents.group` returns it. */
export const causeGroupSchema = z.object({
  id: z.string(),
  title: z.string().describe('e.g. "37 monitors down on db.internal"'),
  cause: z.object({
    kind: z.enum(SHARED_CAUSE_KINDS).describe('what the monitors share'),
    value: z.string().describe('the host or IP, resolver, regions (comma-separated) or group'),
  }),
  verdict: z.enum(['down', 'regional']),
  regions: z.array(z.string()),
  state: z
    .enum(['collecting', 'paged', 'dissolved', 'closed'])
    .describe(
      'collecting: its first page waits for others being judged; paged: one page per route went out; dissolved: too few joined, each paged on its own; closed: every member ended',
    ),
  openedAt: epochMs,
  decideBy: epochMs.describe('the latest a collecting group decides'),
  pagedAt: epochMs.nullable(),
  lastJoinAt: epochMs.describe('a paged group takes new members silently for a window after it'),
  closedAt: epochMs.nullable(),
  pagedRoutes: z.array(z.string()).describe('the routes its page went to'),
  count: z.number().int().min(0).describe('how many incidents it holds'),
  members: z.array(
    z.object({
      incidentId: z.string(),
      monitorId: z.string(),
      monitorName: z.string(),
      openedAt: epochMs,
      endedAt: epochMs.nullable(),
      ended: z.enum(['recovered', 'retracted']).nullable().describe('null while still down'),
    }),
  ),
});

export type CauseGroupAgrees = Expect<Agreement<typeof causeGroupSchema, CauseGroupView>>;

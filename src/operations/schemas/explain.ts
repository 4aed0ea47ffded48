import { z } from 'zod';
import { QUORUM_MODES, ROUND_PURPOSES, SET_ASIDE_REASONS } from '../../domain/consensus.ts';
import type { IncidentExplanation } from '../../services/incident-explain.ts';
import type { Agreement, Expect } from './agreement.ts';

const VERDICTS = ['down', 'regional', 'local', 'up', 'unknown'] as const;

const acknowledgementSchema = z
  .object({
    at: z.number().describe('epoch ms of the first acknowledgement'),
    by: z.string().describe('who acknowledged first'),
    note: z.string().nullable(),
  })
  .nullable();

/** One node's vote in a round, as `incidents.explain` shows it. */
export const nodeVoteViewSchema = z.object({
  node: z.string().describe('node name'),
  nodeId: z.string(),
  region: z.string().nullable(),
  vote: z.enum(['down', 'up', 'abstain', 'no-answer']),
  counted: z.boolean().describe('false for abstentions, no answers, late and set-aside votes'),
  setAside: z.enum(SET_ASIDE_REASONS).nullable(),
  late: z.boolean(),
  error: z.string().nullable().describe('error kind of a failing check'),
  message: z.string(),
  latencyMs: z.number().nullable(),
});

export const roundExplanationSchema = z.object({
  id: z.string(),
  purpose: z.enum(ROUND_PURPOSES),
  decidedAt: z.number(),
  verdict: z.enum(VERDICTS),
  regions: z.array(z.string()),
  counts: z.object({
    asked: z.number().int(),
    counted: z.number().int(),
    down: z.number().int(),
    up: z.number().int(),
    abstained: z.number().int(),
    noAnswer: z.number().int(),
    setAside: z.number().int(),
  }),
  regionsDown: z.array(z.string()).describe('regions where every counted node saw it down'),
  regionsUp: z.array(z.string()).describe('regions where every counted node saw it up'),
  why: z.string().describe('why the votes gave this verdict, in words'),
  nodes: z.array(nodeVoteViewSchema),
});

/** `incidents.explain`: who saw what, from where, and why the verdict followed. */
export const incidentExplanationSchema = z.object({
  incidentId: z.string(),
  monitor: z.object({ id: z.string(), name: z.string(), type: z.string(), target: z.string() }),
  status: z.enum(['open', 'resolved', 'retracted']),
  verdict: z.enum(['down', 'regional']),
  regions: z.array(z.string()),
  startedAt: z.number(),
  openedAt: z.number(),
  endedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  acknowledgement: acknowledgementSchema,
  retraction: z.string().nullable(),
  quorum: z.object({
    mode: z.enum(QUORUM_MODES),
    requiredFailures: z.number().int().nullable(),
    requiredPercent: z.number().int().nullable(),
    minResponders: z.number().int(),
    rule: z.string(),
  }),
  regionsDown: z.array(z.string()),
  rounds: z.array(roundExplanationSchema).describe('oldest first'),
  summary: z.string().describe('one plain-language paragraph'),
});

export type IncidentExplanationAgrees = Expect<
  Agreement<typeof incidentExplanationSchema, IncidentExplanation>
>;

import { z } from 'zod';
import type { ConsensusRound, Verdict, Vote, VoteEvidence } from '../../domain/consensus.ts';
import { ROUND_PURPOSES, SET_ASIDE_REASONS } from '../../domain/consensus.ts';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentDetail } from '../../services/consensus-views.ts';
import type { Agreement, Expect } from './agreement.ts';
import { checkStatusSchema, epochMs, errorKindSchema, phaseTimingsSchema } from './results.ts';

export const verdictSchema = z
  .enum(['down', 'regional', 'local', 'up', 'unknown'])
  .describe(
    'down: quorum confirms; regional: failing from whole regions only; local: some nodes fail, below quorum; up: no counted node fails; unknown: too few counted answers',
  );

/** What a node observed when it voted (its check result, condensed). */
const voteEvidenceShape = {
  status: checkStatusSchema.nullable(),
  latencyMs: z.number().nullable(),
  errorKind: errorKindSchema.nullable(),
  message: z.string(),
  timings: phaseTimingsSchema,
  checkedAt: epochMs
    .nullable()
    .describe("when the check started (the node's clock unless the coordinator voted)"),
};

export const voteEvidenceSchema = z.object(voteEvidenceShape);

export const voteSchema = z.object({
  nodeId: z.string(),
  nodeName: z.string(),
  region: z.string().nullable(),
  outcome: z.enum(['fail', 'ok', 'abstain', 'no-answer']),
  ...voteEvidenceShape,
  answeredAt: epochMs.nullable().describe('coordinator clock when the answer arrived'),
  late: z.boolean().describe('answered after the round was decided: recorded, not counted'),
  setAside: z
    .enum(SET_ASIDE_REASONS)
    .nullable()
    .describe(
      'why an answer was not counted: the node is impaired, its canaries fail, or (vantage) it fails most monitors others see up',
    ),
});

/** A decided confirmation round with every vote: the evidence behind a verdict. */
export const roundSchema = z.object({
  id: z.string(),
  monitorId: z.string(),
  incidentId: z
    .string()
    .nullable()
    .describe('the incident this round opened, updated or resolved; null when none'),
  purpose: z.enum(ROUND_PURPOSES),
  triggeredBy: z.string().describe('the node whose report started the round'),
  openedAt: epochMs,
  deadlineAt: epochMs,
  decidedAt: epochMs,
  verdict: verdictSchema,
  regions: z.array(z.string()).describe('regions a regional verdict names (sorted)'),
  votes: z.array(voteSchema),
});

const incidentShape = {
  id: z.string(),
  monitorId: z.string(),
  status: z
    .enum(['open', 'resolved', 'retracted'])
    .describe('retracted: the evidence it was opened on did not hold (no downtime)'),
  startedAt: epochMs.describe('first failing result of the streak that opened it'),
  openedAt: epochMs.describe('when the failure was confirmed'),
  endedAt: epochMs.nullable().describe('first passing result of the streak that resolved it'),
  resolvedAt: epochMs.nullable().describe('when the recovery was confirmed'),
  durationMs: z.number().int().nullable().describe('endedAt − startedAt once resolved'),
  errorKind: errorKindSchema.nullable(),
  cause: z.string().describe("the failing result's message when it opened"),
  verdict: z.enum(['down', 'regional']).describe('the latest verdict'),
  regions: z.array(z.string()).describe('regions a regional incident names (sorted)'),
  retractedAt: epochMs.nullable(),
  retraction: z.string().nullable().describe('why it was retracted'),
  acknowledgement: z
    .object({
      at: epochMs.describe('the first acknowledgement'),
      by: z.string().describe('who acknowledged first'),
      note: z.string().nullable().describe('the latest note'),
    })
    .nullable()
    .describe('null until someone acknowledges it (open incidents only)'),
  maintenance: z
    .object({ id: z.string(), name: z.string() })
    .nullable()
    .describe('the maintenance window it opened in (nothing paged); null when none'),
  // Defaulted so an older coordinator's incidents still parse.
  causedBy: z
    .object({
      incidentId: z.string(),
      monitorId: z.string(),
      monitorName: z.string().describe("the parent monitor's name when it was linked"),
    })
    .nullable()
    .default(null)
    .describe(
      'the incident of a monitor it depends on that explains it (it pages nobody meanwhile); null when it stands on its own',
    ),
  groupId: z
    .string()
    .nullable()
    .default(null)
    .describe(
      'the group of incidents sharing a cause it belongs to (one page listed them all: `incidents group`); null when it paged on its own',
    ),
};

/** A confirmed outage of one monitor. */
export const incidentSchema = z.object(incidentShape);

/** An incident with the rounds behind it, oldest first. */
export const incidentDetailSchema = z.object({ ...incidentShape, evidence: z.array(roundSchema) });

export type VerdictAgrees = Expect<Agreement<typeof verdictSchema, Verdict>>;
export type VoteEvidenceAgrees = Expect<Agreement<typeof voteEvidenceSchema, VoteEvidence>>;
export type VoteAgrees = Expect<Agreement<typeof voteSchema, Vote>>;
export type RoundAgrees = Expect<Agreement<typeof roundSchema, ConsensusRound>>;
export type IncidentAgrees = Expect<Agreement<typeof incidentSchema, Incident>>;
export type IncidentDetailAgrees = Expect<Agreement<typeof incidentDetailSchema, IncidentDetail>>;

import { z } from 'zod';
import type { ProbeReport } from '../../services/probe-service.ts';
import type { Agreement, Expect } from './agreement.ts';
import { voteEvidenceSchema } from './incidents.ts';

/** What `crosscheck probe` prints: the check as run, every node's answer, the verdict. */
export const probeReportSchema = z.object({
  check: z
    .object({
      // The check travels as a wire string (ProbeCheck); it was validated as a check type.
      type: z.string().describe('the check type: http, https, http_keyword, http_json, tcp…'),
      target: z.string(),
      options: z.record(z.string(), z.unknown()).describe('values that may hold credentials: ***'),
      timeoutMs: z.number().int().min(1),
    })
    .describe('the validated check'),
  nodes: z
    .array(
      z.object({
        nodeId: z.string(),
        name: z.string(),
        region: z.string().nullable(),
        outcome: z
          .enum(['fail', 'ok', 'error', 'no-answer'])
          .describe('error: the node could not check because of itself'),
        evidence: voteEvidenceSchema.nullable().describe('null when it did not answer'),
        error: z.string().nullable().describe('why a node has no answer; null when it answered'),
      }),
    )
    .describe('sorted by region (nodes without one last), then name'),
  verdict: z.object({
    kind: z.enum(['down-everywhere', 'regional', 'partial', 'up-everywhere', 'no-answer']),
    regions: z.array(z.string()).describe('regions a regional verdict names (sorted)'),
    line: z.string().describe('one line for people: "down for everyone", "up everywhere"…'),
  }),
});

export type ProbeReportAgrees = Expect<Agreement<typeof probeReportSchema, ProbeReport>>;

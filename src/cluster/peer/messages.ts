import type { RawData } from 'ws';
import { z } from 'zod';
import { checkTypeSchema, parseCheckConfig } from '../../checks/registry.ts';
import { CHECK_STATUSES, ERROR_KINDS } from '../../domain/check-result.ts';
import type { CheckStatus, ErrorKind, RecordedResult } from '../../domain/check-result.ts';
import type { VoteEvidence } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
// Monitors travel in their stored form, described by the one monitor schema the API also uses;
// check options are re-validated by the check type's own schema on arrival (see
// `parseCoordinatorMessage`), so an agent never runs unchecked config.
import { monitorSchema } from '../../domain/monitor-schema.ts';
import { AppError } from '../../lib/errors.ts';

/** Most results in one batch (bounds a message to a few hundred KB). */
export const MAX_RESULTS_PER_BATCH = 500;

/** Most suspect monitors in one `views` chunk (bounds a message to about 1 MB). */
export const MAX_VIEWS_PER_MESSAGE = 5_000;

const epochMs = z.number().int().min(0);
const ms = z.number().min(0).max(86_400_000);

const timingsSchema = z
  .object({
    dnsMs: ms.optional(),
    connectMs: ms.optional(),
    tlsMs: ms.optional(),
    firstByteMs: ms.optional(),
  })
  .strict();

const detailValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/** Base64 of a 200 KB JPEG, with room for encoding overhead. */
const MAX_SCREENSHOT_CHARS = 280_000;
/** Most screenshots one results batch carries (keeps a batch within a few MB). */
export const MAX_SCREENSHOTS_PER_BATCH = 8;

/** A failed browser check's evidence (bounded like the check bounds it). */
const checkEvidenceSchema = z.object({
  screenshotJpeg: z.string().max(MAX_SCREENSHOT_CHARS).optional(),
  consoleErrors: z.array(z.string().max(1_000)).max(50),
});

const resultSchema = z.object({
  id: z.string().min(1).max(64),
  monitorId: z.string().min(1).max(64),
  nodeId: z.string().min(1).max(64),
  checkedAt: epochMs,
  status: z.enum(CHECK_STATUSES as [CheckStatus, ...CheckStatus[]]),
  latencyMs: ms,
  timings: timingsSchema,
  errorKind: z.enum(ERROR_KINDS as [string, ...string[]]).optional(),
  message: z.string().max(4_000),
  details: z.record(z.string(), detailValue),
  evidence: checkEvidenceSchema.optional(),
});

const httpMethod = z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/** A node's check outcome as a vote, signal or probe answer carries it. */
const evidenceSchema = z.object({
  status: z.enum(CHECK_STATUSES as [CheckStatus, ...CheckStatus[]]).nullable(),
  latencyMs: ms.nullable(),
  errorKind: z.enum(ERROR_KINDS as [string, ...string[]]).nullable(),
  message: z.string().max(4_000),
  timings: timingsSchema,
  checkedAt: epochMs.nullable(),
});

const idSchema = z.string().min(1).max(64);

/** A coordinator's peer address as host:port (IPv6 in brackets); checked again when dialed. */
const peerAddressSchema = z
  .string()
  .min(3)
  .max(300)
  .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[^:\s[\]]+):\d{1,5}$/, 'expected host:port');

/** Most coordinator addresses one welcome carries. */
export const MAX_WELCOME_COORDINATORS = 64;

/** Messages an agent sends over its channel. */
export const agentMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    version: z.string().max(64),
    /** The config version the agent has cached, or null for none. */
    configVersion: z.number().int().min(0).nullable(),
  }),
  z.object({
    type: z.literal('heartbeat'),
    seq: z.number().int().min(0),
    sentAt: epochMs,
    checksPerSecond: z.number().min(0),
    clockOffsetMs: z.number().nullable(),
    outboxBacklog: z.number().int().min(0),
    /** The node's canaries: how many it runs and how many fail now. */
    canaries: z.object({ total: z.number().int().min(0), failing: z.number().int().min(0) }),
  }),
  z.object({
    /** Local hysteresis crossed a threshold for one monitor. */
    type: z.literal('signal'),
    monitorId: idSchema,
    kind: z.enum(['suspect', 'recovered']),
    /** Node clock: first result of the streak that crossed the threshold. */
    since: epochMs,
    /** The result that crossed it. */
    evidence: evidenceSchema,
    /** True while the node's canaries fail: the coordinator treats its failures as abstentions. */
    canariesFailing: z.boolean(),
  }),
  z.object({
    /**
     * Every monitor this node currently holds failing, sent after each welcome in chunks of at
     * most MAX_VIEWS_PER_MESSAGE; the chunk with `last` completes the set, which replaces the
     * previous one.
     */
    type: z.literal('views'),
    suspect: z
      .array(z.object({ monitorId: idSchema, since: epochMs, evidence: evidenceSchema }))
      .max(MAX_VIEWS_PER_MESSAGE),
    last: z.boolean(),
    canariesFailing: z.boolean(),
  }),
  z.object({
    /** The answer to a vote request: this node ran the check now. */
    type: z.literal('vote'),
    roundId: idSchema,
    monitorId: idSchema,
    /** `abstain` when the check failed while the node's canaries fail, or it lacks the monitor. */
    outcome: z.enum(['fail', 'ok', 'abstain']),
    evidence: evidenceSchema,
    canariesFailing: z.boolean(),
  }),
  z.object({
    type: z.literal('probe-result'),
    probeId: idSchema,
    evidence: evidenceSchema,
  }),
  z.object({
    type: z.literal('results'),
    /** Outbox sequence of the last result in the batch; the ack echoes it. */
    upTo: z.number().int().min(0),
    results: z.array(resultSchema).max(MAX_RESULTS_PER_BATCH),
  }),
  z.object({
    type: z.literal('api-request'),
    requestId: z.string().min(1).max(64),
    method: httpMethod,
    url: z.string().startsWith('/api/v1/').max(4_096),
    body: z.unknown().optional(),
    /** The node's operator token: the coordinator authorizes the request with it. */
    token: z.string().min(1).max(256).optional(),
  }),
]);

/** Messages the coordinator sends to an agent. */
export const coordinatorMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    nodeId: z.string(),
    name: z.string(),
    serverTime: epochMs,
    heartbeatMs: z.number().int().min(100),
    /**
     * Silent heartbeats before the coordinator reports a node missing: the agent keeps its
     * reconnect backoff well inside that grace period. Optional: older coordinators omit it.
     */
    graceCount: z.number().int().min(2).optional(),
    /**
     * Every coordinator's peer address, so the agent can find the leader after a failover even
     * when the one it joined through is gone. Optional: older coordinators omit it.
     */
    coordinators: z.array(peerAddressSchema).max(MAX_WELCOME_COORDINATORS).optional(),
  }),
  z.object({
    /**
     * This coordinator does not hold the leader lease: it closes the channel right after, and
     * the agent dials `leader` next (null: no leader yet, try the other coordinators).
     */
    type: z.literal('not-leader'),
    leader: peerAddressSchema.nullable(),
  }),
  z.object({
    type: z.literal('config-snapshot'),
    version: z.number().int().min(0),
    monitors: z.array(monitorSchema),
  }),
  z.object({
    type: z.literal('config-change'),
    version: z.number().int().min(0),
    upserted: z.array(monitorSchema),
    removed: z.array(z.string()),
  }),
  z.object({
    type: z.literal('heartbeat-ack'),
    seq: z.number().int().min(0),
    agentSentAt: epochMs,
    serverTime: epochMs,
  }),
  z.object({ type: z.literal('results-ack'), upTo: z.number().int().min(0) }),
  z.object({
    /** Run this monitor's check now and answer with a vote before the deadline. */
    type: z.literal('vote-request'),
    roundId: idSchema,
    monitorId: idSchema,
    /** Coordinator clock; an answer after it is recorded as late. */
    deadlineAt: epochMs,
  }),
  z.object({
    /** Run one ad-hoc check now (`crosscheck probe`) and answer with its outcome. */
    type: z.literal('probe-request'),
    probeId: idSchema,
    check: z.object({
      type: checkTypeSchema,
      target: z.string().max(4_096),
      options: z.record(z.string(), z.unknown()),
      timeoutMs: z.number().int().min(1).max(120_000),
    }),
  }),
  z.object({
    type: z.literal('api-response'),
    requestId: z.string(),
    status: z.number().int().min(100).max(599),
    body: z.unknown(),
  }),
]);

export type AgentMessage = z.infer<typeof agentMessageSchema>;
/** What an agent sends: results go out as recorded (the receiver parses them with the schema). */
export type OutgoingAgentMessage =
  | Exclude<AgentMessage, { type: 'results' }>
  | { type: 'results'; upTo: number; results: readonly RecordedResult[] };
export type CoordinatorMessage = z.infer<typeof coordinatorMessageSchema>;

function parseFrame<T>(schema: z.ZodType<T>, data: string, from: string): T {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new AppError('VALIDATION', `peer message from ${from}: not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'message';
    throw new AppError('VALIDATION', `peer message from ${from}: ${where}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Parses one frame from an agent; VALIDATION naming the field on anything malformed. */
export function parseAgentMessage(data: string, from: string): AgentMessage {
  return parseFrame(agentMessageSchema, data, from);
}

/** Parses one frame from the coordinator, re-validating each monitor's check options. */
export function parseCoordinatorMessage(data: string): CoordinatorMessage {
  const message = parseFrame(coordinatorMessageSchema, data, 'coordinator');
  if (message.type === 'config-snapshot') message.monitors = message.monitors.map(checkedMonitor);
  if (message.type === 'config-change') message.upserted = message.upserted.map(checkedMonitor);
  if (message.type === 'probe-request') {
    const { target, options } = parseCheckConfig(
      message.check.type,
      message.check.target,
      message.check.options,
    );
    message.check = { ...message.check, target, options };
  }
  return message;
}

function checkedMonitor(monitor: z.infer<typeof monitorSchema>): Monitor {
  const { target, options } = parseCheckConfig(monitor.type, monitor.target, monitor.options);
  return { ...monitor, target, options };
}

/**
 * A results batch as sent: screenshots beyond the first MAX_SCREENSHOTS_PER_BATCH are left
 * out (their console errors still travel, and the details say why), so many failing browser
 * monitors cannot make one message too large for the channel.
 */
export function boundBatchEvidence(results: readonly RecordedResult[]): readonly RecordedResult[] {
  let screenshots = 0;
  return results.map((result) => {
    if (result.evidence?.screenshotJpeg === undefined) return result;
    screenshots += 1;
    if (screenshots <= MAX_SCREENSHOTS_PER_BATCH) return result;
    return {
      ...result,
      details: { ...result.details, screenshot: 'left out: too many screenshots in one batch' },
      evidence: { consoleErrors: result.evidence.consoleErrors },
    };
  });
}

/** The typed result from a parsed wire result (drops absent optional fields). */
export function resultFromWire(
  wire: Extract<AgentMessage, { type: 'results' }>['results'][number],
  nodeId: string,
): RecordedResult {
  const { errorKind, evidence, ...rest } = wire;
  return {
    ...rest,
    ...(evidence === undefined
      ? {}
      : {
          evidence: {
            consoleErrors: evidence.consoleErrors,
            ...(evidence.screenshotJpeg === undefined
              ? {}
              : { screenshotJpeg: evidence.screenshotJpeg }),
          },
        }),
    nodeId,
    timings: Object.fromEntries(Object.entries(wire.timings).filter(([, v]) => v !== undefined)),
    ...(errorKind === undefined
      ? {}
      : { errorKind: errorKind as RecordedResult['errorKind'] & string }),
  };
}

/** Vote evidence from its wire form (error kinds are checked by the schema). */
export function evidenceFromWire(wire: z.infer<typeof evidenceSchema>): VoteEvidence {
  return {
    ...wire,
    errorKind: wire.errorKind as ErrorKind | null,
    timings: Object.fromEntries(Object.entries(wire.timings).filter(([, v]) => v !== undefined)),
  };
}

/** The text of a WebSocket frame, whatever shape `ws` delivered it in. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

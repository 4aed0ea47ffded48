import { createHash } from 'node:crypto';
import { z } from 'zod';
import { receiptOf, refusalOf } from '../../kit/answers.ts';
import { formatHtml, formatText, truncate } from '../../kit/formats.ts';
import type { AlertMessage } from '../../kit/message.ts';
import { httpUrl, joinUrl, secretText } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Plain body length: far below the event limit, long enough for every node's line. */
const BODY_LIMIT = 8000;
/** Evidence lines shown in the HTML body; the rest is counted. */
const HTML_EVIDENCE_LINES = 40;
/** The spec caps a whole event at 65536 bytes; the content stays well below it. */
const MAX_CONTENT_BYTES = 60_000;

export const matrixSettingsSchema = z.strictObject({
  homeserverUrl: httpUrl('homeserver URL').describe(
    "The homeserver's client-server API address, e.g. https://matrix.example.org",
  ),
  accessToken: secretText().describe('Access token of the bot account that posts (Bearer)'),
  roomId: z
    .string()
    .regex(/^![^:\s]+:\S+$/, { error: 'must be a room id like !abcdef:example.org (not an alias)' })
    .describe('Room id to post in (Room settings → Advanced), e.g. !abcdef:example.org'),
});

export type MatrixSettings = z.infer<typeof matrixSettingsSchema>;

const answerSchema = z.object({
  event_id: z.string().optional(),
  retry_after_ms: z.number().optional(),
});

/** Sends an m.room.message (m.text with an HTML body) to one room. */
export const matrixChannel: ChannelDefinition<MatrixSettings> = {
  type: 'matrix',
  title: 'Matrix',
  description: 'Post the alert to a Matrix room as a bot account',
  category: 'chat',
  docsUrl:
    'https://spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid',
  settingsSchema: matrixSettingsSchema,
  secrets: { accessToken: 'secret' },
  send: sendMatrix,
};

async function sendMatrix(
  alert: OutgoingAlert,
  settings: MatrixSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const path = [
    '_matrix/client/v3/rooms',
    encodeURIComponent(settings.roomId),
    'send/m.room.message',
    matrixTransactionId(alert.idempotencyKey),
  ].join('/');
  const answer = await ctx.http.send({
    method: 'PUT',
    url: joinUrl(settings.homeserverUrl, path),
    headers: { authorization: `Bearer ${settings.accessToken}` },
    json: matrixContent(alert),
    // M_LIMIT_EXCEEDED carries its wait in the body (retry_after_ms).
    accept: (status) => status === 429,
  });
  const parsed = answerSchema.safeParse(answer.json());
  if (answer.status === 429) {
    throw refusalOf(answer, matrixChannel.title, ctx, parsed.data?.retry_after_ms);
  }
  return receiptOf(answer, ctx.secrets, parsed.data?.event_id);
}

/**
 * The transaction id: the same delivery always gets the same id, so the homeserver drops a
 * retry of a send it already accepted (the spec's idempotency rule for this endpoint).
 */
export function matrixTransactionId(idempotencyKey: string): string {
  return `crosscheck-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

/** An m.text message with an HTML body; a closing alert replies to the opening's event. */
export function matrixContent(alert: OutgoingAlert): Record<string, unknown> {
  const content: Record<string, unknown> = {
    msgtype: 'm.text',
    body: formatText(alert.message, { flavour: 'plain', limit: BODY_LIMIT }),
    format: 'org.matrix.custom.html',
    formatted_body: formatHtml(shortened(alert.message)),
  };
  if (Buffer.byteLength(JSON.stringify(content), 'utf8') > MAX_CONTENT_BYTES) {
    delete content['format'];
    delete content['formatted_body'];
  }
  if (alert.openingRef !== null && alert.openingRef.startsWith('$')) {
    content['m.relates_to'] = { 'm.in_reply_to': { event_id: alert.openingRef } };
  }
  return content;
}

/** The message with its text and evidence cut for the HTML body. */
function shortened(message: AlertMessage): AlertMessage {
  const { evidence } = message;
  const kept = evidence.slice(0, HTML_EVIDENCE_LINES).map((line) => truncate(line, 200));
  if (evidence.length > kept.length) kept.push(`… and ${evidence.length - kept.length} more nodes`);
  return { ...message, text: truncate(message.text, 2000), evidence: kept };
}

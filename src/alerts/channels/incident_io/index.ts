import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { affectedSystem, factRecord, keyWithin, SENDER_NAME } from '../../kit/incident-fields.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** Not documented by incident.io; kept to what its alert list shows in full. */
const TITLE_LIMIT = 255;
const DESCRIPTION_LIMIT = 10_000;
const DEDUP_KEY_LIMIT = 255;

export const incidentIoSettingsSchema = z.strictObject({
  alertSourceConfigId: z
    .string()
    .regex(/^[A-Za-z0-9]+$/, { error: 'must be the alert source config ID (letters and digits)' })
    .describe('ID of the HTTP alert source (the last part of its URL)'),
  token: secretText().describe('Token of the HTTP alert source, sent as a Bearer token'),
  apiUrl: apiBaseUrl('https://api.incident.io').describe('incident.io API address'),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type IncidentIoSettings = z.infer<typeof incidentIoSettingsSchema>;

/** Fires an incident.io alert on down and resolves it, by deduplication key, on recovery. */
export const incidentIoChannel: ChannelDefinition<IncidentIoSettings> = {
  type: 'incident_io',
  title: 'incident.io',
  description: 'Fire and resolve incident.io alerts through an HTTP alert source',
  category: 'incident',
  docsUrl: 'https://docs.incident.io/api-reference/alert-events-v2/createhttp',
  settingsSchema: incidentIoSettingsSchema,
  secrets: { token: 'secret' },
  send: sendIncidentIo,
  retry: { maxAttempts: 20 },
};

async function sendIncidentIo(
  alert: OutgoingAlert,
  settings: IncidentIoSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const path = `/v2/alert_events/http/${encodeURIComponent(settings.alertSourceConfigId)}`;
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, path),
    headers: { Authorization: `Bearer ${settings.token}` },
    json: incidentIoEvent(alert),
  });
  return receiptOf(answer, ctx.secrets);
}

/** One alert event; the same deduplication_key with status resolved resolves the alert. */
export function incidentIoEvent(alert: OutgoingAlert): Record<string, unknown> {
  const { message } = alert;
  return {
    title: truncate(message.title, TITLE_LIMIT),
    status: alert.status,
    deduplication_key: keyWithin(alert.dedupKey, DEDUP_KEY_LIMIT),
    description: formatBody(message, { flavour: 'markdown', limit: DESCRIPTION_LIMIT }),
    ...(message.url === null ? {} : { source_url: message.url }),
    metadata: {
      ...factRecord(message),
      kind: alert.event.kind,
      affected: affectedSystem(alert),
      sender: SENDER_NAME,
    },
  };
}

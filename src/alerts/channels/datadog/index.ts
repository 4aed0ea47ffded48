import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { keyWithin } from '../../kit/incident-fields.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** Datadog's documented limits (Events API v1, Post an event). */
const TITLE_LIMIT = 100;
const TEXT_LIMIT = 4000;
const AGGREGATION_KEY_LIMIT = 100;
const TAG_LIMIT = 200;

type AlertType = 'error' | 'warning' | 'info' | 'success';

export const datadogSettingsSchema = z.strictObject({
  apiKey: secretText().describe('Datadog API key (Organization Settings → API Keys)'),
  apiUrl: apiBaseUrl('https://api.datadoghq.com').describe(
    'API address of your Datadog site, e.g. https://api.datadoghq.eu or https://api.us5.datadoghq.com',
  ),
  tags: z
    .array(z.string().min(1).max(TAG_LIMIT))
    .max(50)
    .optional()
    .describe('Tags added to every event (e.g. env:prod, team:payments)'),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type DatadogSettings = z.infer<typeof datadogSettingsSchema>;

/** Posts an event to Datadog; an opening and its closing share one aggregation key. */
export const datadogChannel: ChannelDefinition<DatadogSettings> = {
  type: 'datadog',
  title: 'Datadog',
  description: 'Post alerts as Datadog events, grouped per incident by aggregation key',
  category: 'incident',
  docsUrl: 'https://docs.datadoghq.com/api/latest/events/#post-an-event',
  settingsSchema: datadogSettingsSchema,
  secrets: { apiKey: 'secret' },
  send: sendDatadog,
};

async function sendDatadog(
  alert: OutgoingAlert,
  settings: DatadogSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, '/api/v1/events'),
    headers: { 'DD-API-KEY': settings.apiKey },
    json: datadogEvent(alert, settings.tags ?? []),
  });
  return receiptOf(answer, ctx.secrets);
}

/** The event; `alert_type` colours it, `success` for a recovery. */
export function datadogEvent(
  alert: OutgoingAlert,
  tags: readonly string[],
): Record<string, unknown> {
  const { message } = alert;
  return {
    title: truncate(message.title, TITLE_LIMIT),
    text: formatBody(message, { flavour: 'plain', limit: TEXT_LIMIT }),
    alert_type: alertType(alert),
    aggregation_key: keyWithin(alert.dedupKey, AGGREGATION_KEY_LIMIT),
    priority: 'normal',
    tags: ['source:crosscheck', `crosscheck_event:${alert.event.kind}`, ...tags],
  };
}

function alertType(alert: OutgoingAlert): AlertType {
  if (alert.status === 'resolved') return 'success';
  const { severity } = alert.message;
  if (severity === 'critical') return 'error';
  return severity === 'warning' ? 'warning' : 'info';
}

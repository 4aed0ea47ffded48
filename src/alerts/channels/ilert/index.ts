import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { affectedSystem, factRecord, keyWithin, SENDER_NAME } from '../../kit/incident-fields.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** ilert trims longer keys itself; trimming here keeps opening and closing keys equal. */
const ALERT_KEY_LIMIT = 255;
const SUMMARY_LIMIT = 255;
const DETAILS_LIMIT = 10_000;

export const ilertSettingsSchema = z.strictObject({
  integrationKey: secretText().describe(
    'Integration key of an API alert source in ilert (starts with "il")',
  ),
  apiUrl: apiBaseUrl('https://api.ilert.com').describe('ilert API address'),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type IlertSettings = z.infer<typeof ilertSettingsSchema>;

/** Creates an ilert alert on down and resolves it, by alert key, on recovery. */
export const ilertChannel: ChannelDefinition<IlertSettings> = {
  type: 'ilert',
  title: 'ilert',
  description: 'Create and resolve ilert alerts through the Events API',
  category: 'incident',
  docsUrl: 'https://docs.ilert.com/developer-docs/rest-api/api-reference/events',
  settingsSchema: ilertSettingsSchema,
  secrets: { integrationKey: 'secret' },
  send: sendIlert,
  retry: { maxAttempts: 20 },
};

async function sendIlert(
  alert: OutgoingAlert,
  settings: IlertSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, '/api/events'),
    json: ilertEvent(alert, settings.integrationKey),
  });
  return receiptOf(answer, ctx.secrets);
}

/** An ALERT event opens (or joins) the alert with this key; RESOLVE closes it. */
export function ilertEvent(alert: OutgoingAlert, integrationKey: string): Record<string, unknown> {
  const { message } = alert;
  return {
    integrationKey,
    eventType: alert.status === 'firing' ? 'ALERT' : 'RESOLVE',
    alertKey: keyWithin(alert.dedupKey, ALERT_KEY_LIMIT),
    summary: truncate(message.title, SUMMARY_LIMIT),
    details: formatBody(message, { flavour: 'markdown', limit: DETAILS_LIMIT }),
    ...(message.url === null ? {} : { links: [{ href: message.url, text: 'Open in Crosscheck' }] }),
    customDetails: {
      ...factRecord(message),
      kind: alert.event.kind,
      affected: affectedSystem(alert),
      sender: SENDER_NAME,
    },
  };
}

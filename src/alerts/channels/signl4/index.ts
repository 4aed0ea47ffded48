import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { affectedSystem, keyWithin, SENDER_NAME } from '../../kit/incident-fields.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** Not documented by SIGNL4; the app shows a short title and a longer message. */
const TITLE_LIMIT = 255;
const MESSAGE_LIMIT = 10_000;
const EXTERNAL_ID_LIMIT = 255;

export const signl4SettingsSchema = z.strictObject({
  teamSecret: secretText().describe(
    "Team secret: the last part of the team's webhook URL (Teams → Webhook)",
  ),
  service: z
    .string()
    .min(1)
    .optional()
    .describe('Service or system category the Signl is assigned to (X-S4-Service)'),
  apiUrl: apiBaseUrl('https://connect.signl4.com').describe('SIGNL4 webhook address'),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type Signl4Settings = z.infer<typeof signl4SettingsSchema>;

/** Raises a Signl on down and resolves it, by external ID, on recovery. */
export const signl4Channel: ChannelDefinition<Signl4Settings> = {
  type: 'signl4',
  title: 'SIGNL4',
  description: 'Raise and resolve SIGNL4 alerts (Signls) through the team webhook',
  category: 'incident',
  docsUrl: 'https://docs.signl4.com/integrations/webhook/webhook.html',
  settingsSchema: signl4SettingsSchema,
  secrets: { teamSecret: 'secret' },
  send: sendSignl4,
  retry: { maxAttempts: 20 },
};

async function sendSignl4(
  alert: OutgoingAlert,
  settings: Signl4Settings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, `/webhook/${encodeURIComponent(settings.teamSecret)}`),
    json: signl4Event(alert, settings.service),
  });
  return receiptOf(answer, ctx.secrets);
}

/**
 * The webhook body. The `X-S4-*` names are body parameters: `X-S4-ExternalID` ties the resolve
 * to the Signl it closes, `X-S4-Status` says new or resolved.
 */
export function signl4Event(
  alert: OutgoingAlert,
  service: string | undefined,
): Record<string, unknown> {
  const { message } = alert;
  return {
    Title: truncate(message.title, TITLE_LIMIT),
    Message: formatBody(message, { flavour: 'plain', limit: MESSAGE_LIMIT }),
    Affected: affectedSystem(alert),
    ...(message.url === null ? {} : { Link: message.url }),
    'X-S4-ExternalID': keyWithin(alert.dedupKey, EXTERNAL_ID_LIMIT),
    'X-S4-Status': alert.status === 'firing' ? 'new' : 'resolved',
    'X-S4-SourceSystem': SENDER_NAME,
    ...(service === undefined ? {} : { 'X-S4-Service': service }),
  };
}

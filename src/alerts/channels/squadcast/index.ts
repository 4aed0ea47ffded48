import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { affectedSystem, keyWithin } from '../../kit/incident-fields.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** Not documented by Squadcast; kept to what its incident list shows in full. */
const MESSAGE_LIMIT = 255;
const DESCRIPTION_LIMIT = 10_000;
const EVENT_ID_LIMIT = 255;

export const squadcastSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('webhook URL').describe(
    'Webhook URL of the service\'s "Incident Webhook" alert source (it carries the token)',
  ),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type SquadcastSettings = z.infer<typeof squadcastSettingsSchema>;

/** Triggers a Squadcast incident on down and resolves it, by event_id, on recovery. */
export const squadcastChannel: ChannelDefinition<SquadcastSettings> = {
  type: 'squadcast',
  title: 'Squadcast',
  description: 'Trigger and resolve Squadcast incidents through an Incident Webhook alert source',
  category: 'incident',
  docsUrl: 'https://support.squadcast.com/integrations/incident-webhook-incident-webhook-api',
  settingsSchema: squadcastSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendSquadcast,
  retry: { maxAttempts: 20 },
};

async function sendSquadcast(
  alert: OutgoingAlert,
  settings: SquadcastSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({ url: settings.webhookUrl, json: squadcastEvent(alert) });
  return receiptOf(answer, ctx.secrets);
}

/** Incidents sharing an event_id are resolved together by a `resolve` with that event_id. */
export function squadcastEvent(alert: OutgoingAlert): Record<string, unknown> {
  const { message } = alert;
  return {
    message: truncate(message.title, MESSAGE_LIMIT),
    description: formatBody(message, { flavour: 'markdown', limit: DESCRIPTION_LIMIT }),
    status: alert.status === 'firing' ? 'trigger' : 'resolve',
    event_id: keyWithin(alert.dedupKey, EVENT_ID_LIMIT),
    tags: { source: 'crosscheck', kind: alert.event.kind, affected: affectedSystem(alert) },
  };
}

import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { keyWithin } from '../../kit/incident-fields.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** Not documented by Grafana OnCall; kept to what its alert group list shows in full. */
const TITLE_LIMIT = 255;
const MESSAGE_LIMIT = 10_000;
const ALERT_UID_LIMIT = 255;

export const grafanaOncallSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('webhook URL').describe(
    'URL of a "Formatted Webhook" integration in Grafana OnCall / IRM (it carries the token)',
  ),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type GrafanaOncallSettings = z.infer<typeof grafanaOncallSettingsSchema>;

/** Fires a Grafana OnCall alert on down and resolves it, by alert_uid, on recovery. */
export const grafanaOncallChannel: ChannelDefinition<GrafanaOncallSettings> = {
  type: 'grafana_oncall',
  title: 'Grafana OnCall',
  description: 'Fire and resolve Grafana OnCall alert groups through a Formatted Webhook',
  category: 'incident',
  docsUrl: 'https://grafana.com/docs/oncall/latest/configure/integrations/references/webhook/',
  settingsSchema: grafanaOncallSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendGrafanaOncall,
  retry: { maxAttempts: 20 },
};

async function sendGrafanaOncall(
  alert: OutgoingAlert,
  settings: GrafanaOncallSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({ url: settings.webhookUrl, json: formattedWebhook(alert) });
  return receiptOf(answer, ctx.secrets);
}

/** The formatted webhook fields: alert_uid groups, state `ok` resolves the group. */
export function formattedWebhook(alert: OutgoingAlert): Record<string, unknown> {
  const { message } = alert;
  return {
    alert_uid: keyWithin(alert.dedupKey, ALERT_UID_LIMIT),
    title: truncate(message.title, TITLE_LIMIT),
    state: alert.status === 'firing' ? 'alerting' : 'ok',
    message: formatBody(message, { flavour: 'markdown', limit: MESSAGE_LIMIT }),
    ...(message.url === null ? {} : { link_to_upstream_details: message.url }),
  };
}

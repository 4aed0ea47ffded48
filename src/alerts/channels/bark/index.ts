import { z } from 'zod';
import { bodyFailure, receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl, secretText } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/**
 * Bark relays through APNs, whose whole payload is at most 4096 bytes; the body keeps room
 * for the title, the link and the other fields.
 */
export const BARK_BODY_BYTES = 3000;
const TITLE_LIMIT = 120;

export const barkSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.day.app').describe(
    'Bark server: the public one or your bark-server',
  ),
  deviceKey: secretText().describe(
    'Device key shown in the Bark app (the part after the server URL)',
  ),
  criticalAlerts: z
    .boolean()
    .default(false)
    .describe('Send outages as critical alerts, which ring even in silent mode'),
  group: z.string().min(1).max(64).default('Crosscheck').describe('Notification group in the app'),
});

export type BarkSettings = z.infer<typeof barkSettingsSchema>;

const answerSchema = z.object({ code: z.number(), message: z.string().optional() });

/** Bark's interruption level per severity; outages break through Focus, retractions stay quiet. */
export function barkLevel(severity: AlertSeverity, criticalAlerts: boolean): string {
  switch (severity) {
    case 'critical':
      return criticalAlerts ? 'critical' : 'timeSensitive';
    case 'warning':
    case 'ok':
      return 'active';
    case 'info':
      return 'passive';
  }
}

/** Pushes the alert to an iPhone with Bark (POST /push, JSON with the device key). */
export const barkChannel: ChannelDefinition<BarkSettings> = {
  type: 'bark',
  title: 'Bark',
  description: 'Push the alert to an iPhone with the Bark app',
  category: 'push',
  docsUrl: 'https://bark.day.app/#/en-us/tutorial',
  settingsSchema: barkSettingsSchema,
  secrets: { deviceKey: 'secret' },
  send: sendBark,
};

async function sendBark(
  alert: OutgoingAlert,
  settings: BarkSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const { message } = alert;
  const body: Record<string, unknown> = {
    device_key: settings.deviceKey,
    title: truncate(message.title, TITLE_LIMIT),
    body: fitBytes(
      (limit) => formatBody({ ...message, url: null }, { flavour: 'plain', limit }),
      BARK_BODY_BYTES,
    ),
    level: barkLevel(message.severity, settings.criticalAlerts),
    group: settings.group,
  };
  if (message.url !== null) body['url'] = message.url;
  const answer = await ctx.http.send({ url: joinUrl(settings.apiUrl, 'push'), json: body });
  // bark-server repeats the status in the body; a 2xx whose code is not 200 is a refusal.
  const parsed = answerSchema.safeParse(answer.json());
  if (!parsed.success || parsed.data.code !== 200) {
    const reason = parsed.success
      ? `code ${parsed.data.code}: ${parsed.data.message ?? ''}`
      : answer.text;
    throw bodyFailure(barkChannel.title, answer.status, reason, ctx);
  }
  return receiptOf(answer, ctx.secrets);
}

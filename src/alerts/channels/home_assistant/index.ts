import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import { httpUrl, joinUrl, secretText } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Home Assistant documents no limit; phones show about this much of a notification. */
const MESSAGE_LIMIT = 4096;

export const homeAssistantSettingsSchema = z.strictObject({
  url: httpUrl('Home Assistant URL').describe(
    'Your Home Assistant, e.g. http://homeassistant.local:8123',
  ),
  token: secretText().describe(
    'Long-lived access token (your profile → Security → Long-lived access tokens)',
  ),
  service: z
    .string()
    .regex(/^[a-z0-9_]+$/, { error: 'must be a notify service name like mobile_app_pixel_8' })
    .describe(
      'Notify service to call, without "notify." (e.g. mobile_app_pixel_8, or notify for the default group)',
    ),
});

export type HomeAssistantSettings = z.infer<typeof homeAssistantSettingsSchema>;

/** Calls a Home Assistant notify service through the REST API. */
export const homeAssistantChannel: ChannelDefinition<HomeAssistantSettings> = {
  type: 'home_assistant',
  title: 'Home Assistant',
  description: 'Call a Home Assistant notify service (phone app, TTS, any notify platform)',
  category: 'automation',
  docsUrl: 'https://developers.home-assistant.io/docs/api/rest/',
  settingsSchema: homeAssistantSettingsSchema,
  secrets: { token: 'secret' },
  send: sendHomeAssistant,
};

async function sendHomeAssistant(
  alert: OutgoingAlert,
  settings: HomeAssistantSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const { message } = alert;
  const answer = await ctx.http.send({
    url: joinUrl(settings.url, `api/services/notify/${settings.service}`),
    headers: { authorization: `Bearer ${settings.token}` },
    // Only message and title: notify platforms validate `data` each in their own way.
    json: {
      title: truncate(message.title, 250),
      message: formatBody(message, { flavour: 'plain', limit: MESSAGE_LIMIT }),
    },
  });
  return receiptOf(answer, ctx.secrets);
}

import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatText } from '../../kit/formats.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

export const webexSettingsSchema = z.strictObject({
  token: secretText().describe('Bot access token (developer.webex.com → My Webex Apps → Bot)'),
  roomId: z
    .string()
    .min(1, { error: 'must not be empty' })
    .describe('ID of the space (room) to post to; add the bot to the space first'),
  threadRecoveries: z
    .boolean()
    .default(true)
    .describe('Post recoveries and retractions as replies to the outage message'),
  apiUrl: apiBaseUrl('https://webexapis.com').describe(
    'Webex API base URL; change only for a proxy (the path /v1/messages is added)',
  ),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Webex, in milliseconds (default: the dispatcher’s)',
  ),
});

export type WebexSettings = z.infer<typeof webexSettingsSchema>;

/** Webex's documented maximum message length: 7,439 bytes. */
const MESSAGE_BYTES = 7439;

/** Creates a Markdown message in a Webex space with a bot token. */
export const webexChannel: ChannelDefinition<WebexSettings> = {
  type: 'webex',
  title: 'Webex',
  description: 'Post a Markdown message to a Webex space as a bot',
  category: 'chat',
  docsUrl: 'https://developer.webex.com/docs/api/v1/messages/create-a-message',
  settingsSchema: webexSettingsSchema,
  secrets: { token: 'secret' },
  send: sendWebex,
};

async function sendWebex(
  alert: OutgoingAlert,
  settings: WebexSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const reply =
    settings.threadRecoveries && alert.status === 'resolved' && alert.openingRef !== null
      ? { parentId: alert.openingRef }
      : {};
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, '/v1/messages'),
    headers: { authorization: `Bearer ${settings.token}` },
    json: {
      roomId: settings.roomId,
      markdown: fitBytes(
        (limit) => formatText(alert.message, { flavour: 'markdown', limit }),
        MESSAGE_BYTES,
      ),
      ...reply,
    },
  });
  return receiptOf(answer, ctx.secrets, messageId(answer.json()));
}

function messageId(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const id = (body as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : undefined;
}

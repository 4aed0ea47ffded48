import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { formatBody, textLength, truncate } from '../../kit/formats.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

export const googleChatSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('Google Chat webhook URL').describe(
    'Incoming webhook URL of the space (https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…); it is a credential',
  ),
  threaded: z
    .boolean()
    .default(true)
    .describe('Keep an outage and its recovery in one thread (keyed by the incident)'),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Google Chat, in milliseconds (default: the dispatcher’s)',
  ),
});

export type GoogleChatSettings = z.infer<typeof googleChatSettingsSchema>;

/** Google Chat's documented limit for a message's `text`. */
const TEXT_LIMIT = 4096;

/** Posts a text message to a Google Chat space through its incoming webhook. */
export const googleChatChannel: ChannelDefinition<GoogleChatSettings> = {
  type: 'google_chat',
  title: 'Google Chat',
  description: 'Post to a Google Chat space through an incoming webhook, threaded per incident',
  category: 'chat',
  docsUrl: 'https://developers.google.com/workspace/chat/quickstart/webhooks',
  settingsSchema: googleChatSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendGoogleChat,
};

async function sendGoogleChat(
  alert: OutgoingAlert,
  settings: GoogleChatSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const url = new URL(settings.webhookUrl);
  if (settings.threaded) {
    // Without this option Chat ignores the thread key and starts a new thread every time.
    url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
  }
  const answer = await ctx.http.send({
    url: url.toString(),
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    json: {
      text: chatText(alert),
      ...(settings.threaded ? { thread: { threadKey: alert.dedupKey } } : {}),
    },
  });
  return receiptOf(answer, ctx.secrets, messageName(answer.json()));
}

/** `*bold*` title, then the plain body: Chat renders *…* and links itself, and no HTML. */
function chatText(alert: OutgoingAlert): string {
  const title = `*${truncate(alert.message.title, 200)}*`;
  const room = TEXT_LIMIT - textLength(title) - 2;
  return `${title}\n\n${formatBody(alert.message, { flavour: 'plain', limit: room })}`;
}

function messageName(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const name = (body as Record<string, unknown>)['name'];
  return typeof name === 'string' ? name : undefined;
}

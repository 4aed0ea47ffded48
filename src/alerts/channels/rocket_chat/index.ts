import { z } from 'zod';
import { answeredError, receiptOf } from '../../kit/answers.ts';
import { SEVERITY_COLORS } from '../../kit/colors.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

export const rocketChatSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('Rocket.Chat incoming webhook URL').describe(
    'Incoming integration URL (https://chat.example.com/hooks/<id>/<token>); it is a credential',
  ),
  channel: z
    .string()
    .regex(/^[#@].+/, { error: 'must start with # (channel) or @ (user)' })
    .optional()
    .describe('#channel or @user to post to instead of the integration’s own'),
  alias: z.string().min(1).optional().describe('Name shown instead of the integration user’s'),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Rocket.Chat, in milliseconds (default: the dispatcher’s)',
  ),
});

export type RocketChatSettings = z.infer<typeof rocketChatSettingsSchema>;

/** Rocket.Chat's default Message_MaxAllowedSize (5,000 characters), per text field. */
const MESSAGE_LIMIT = 5000;

/** Posts to Rocket.Chat through an incoming integration, the body in a coloured attachment. */
export const rocketChatChannel: ChannelDefinition<RocketChatSettings> = {
  type: 'rocket_chat',
  title: 'Rocket.Chat',
  description: 'Post to a Rocket.Chat channel through an incoming webhook integration',
  category: 'chat',
  docsUrl: 'https://docs.rocket.chat/docs/integrations#incoming-webhook-script',
  settingsSchema: rocketChatSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendRocketChat,
};

async function sendRocketChat(
  alert: OutgoingAlert,
  settings: RocketChatSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const { message } = alert;
  const answer = await ctx.http.send({
    url: settings.webhookUrl,
    json: {
      text: `*${truncate(message.title, 250)}*`,
      ...(settings.channel === undefined ? {} : { channel: settings.channel }),
      ...(settings.alias === undefined ? {} : { alias: settings.alias }),
      attachments: [
        {
          color: SEVERITY_COLORS[message.severity],
          text: formatBody(message, { flavour: 'markdown', limit: MESSAGE_LIMIT }),
          ...(message.url === null ? {} : { title: 'Open incident', title_link: message.url }),
        },
      ],
    },
  });
  if (readSuccess(answer.json()) === false) {
    throw answeredError('Rocket.Chat', answer, answer.text, { secrets: ctx.secrets });
  }
  return receiptOf(answer, ctx.secrets);
}

/** The integration answers `{success: boolean}`; undefined when the answer says neither. */
function readSuccess(body: unknown): boolean | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const success = (body as Record<string, unknown>)['success'];
  return typeof success === 'boolean' ? success : undefined;
}

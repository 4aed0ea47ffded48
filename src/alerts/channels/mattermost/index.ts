import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { SEVERITY_COLORS } from '../../kit/colors.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

export const mattermostSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('Mattermost incoming webhook URL').describe(
    'Incoming webhook URL on your server (https://chat.example.com/hooks/…); it is a credential',
  ),
  channel: z
    .string()
    .min(1)
    .optional()
    .describe('Channel name to post to instead of the webhook’s own (if the webhook allows it)'),
  username: z
    .string()
    .min(1)
    .optional()
    .describe('Name to post as (needs "Enable integrations to override usernames")'),
  iconUrl: httpUrl('icon URL')
    .optional()
    .describe(
      'Profile picture to post with (needs "Enable integrations to override profile picture icons")',
    ),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Mattermost, in milliseconds (default: the dispatcher’s)',
  ),
});

export type MattermostSettings = z.infer<typeof mattermostSettingsSchema>;

/** Mattermost's documented maximum post length (16,383 characters). */
const POST_LIMIT = 16_383;

/** Posts to a Mattermost channel through an incoming webhook, the body in a coloured attachment. */
export const mattermostChannel: ChannelDefinition<MattermostSettings> = {
  type: 'mattermost',
  title: 'Mattermost',
  description: 'Post to a Mattermost channel through an incoming webhook on your server',
  category: 'chat',
  docsUrl: 'https://developers.mattermost.com/integrate/webhooks/incoming/',
  settingsSchema: mattermostSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendMattermost,
};

async function sendMattermost(
  alert: OutgoingAlert,
  settings: MattermostSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const { message } = alert;
  const title = truncate(message.title, 250);
  const answer = await ctx.http.send({
    url: settings.webhookUrl,
    json: {
      text: `#### ${title}`,
      ...(settings.channel === undefined ? {} : { channel: settings.channel }),
      ...(settings.username === undefined ? {} : { username: settings.username }),
      ...(settings.iconUrl === undefined ? {} : { icon_url: settings.iconUrl }),
      attachments: [
        {
          fallback: title,
          color: SEVERITY_COLORS[message.severity],
          text: formatBody(message, { flavour: 'markdown', limit: POST_LIMIT - 300 }),
          ...(message.url === null ? {} : { title: 'Open incident', title_link: message.url }),
        },
      ],
    },
  });
  return receiptOf(answer, ctx.secrets);
}

import { z } from 'zod';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';

/** Settings of a Discord webhook target. */
export const discordSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('Discord webhook URL').describe(
    'Webhook URL from Server Settings → Integrations → Webhooks (https://discord.com/api/webhooks/…); it is a credential',
  ),
  username: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe('Name the messages are posted under (default: the webhook’s own name)'),
  avatarUrl: httpUrl('avatar URL')
    .optional()
    .describe('Image shown as the poster’s avatar (default: the webhook’s own)'),
  mention: z
    .string()
    .regex(/^(<@&?\d+>|@here|@everyone)( (<@&?\d+>|@here|@everyone))*$/, {
      error: 'must be role or user mentions (<@&role-id>, <@user-id>), @here or @everyone',
    })
    .optional()
    .describe('Who to notify with each alert: <@&role-id>, <@user-id>, @here or @everyone'),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Discord, in milliseconds (default: the dispatcher’s)',
  ),
});

export type DiscordSettings = z.infer<typeof discordSettingsSchema>;

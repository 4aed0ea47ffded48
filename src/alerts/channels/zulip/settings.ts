import { z } from 'zod';
import { httpUrl, secretText, timeoutSetting } from '../../kit/settings.ts';

/** Settings of a Zulip target: the server, a bot's credentials, and where to post. */
export const zulipSettingsSchema = z.strictObject({
  serverUrl: httpUrl('Zulip server URL').describe(
    'Your Zulip organisation’s URL (https://example.zulipchat.com or your own server)',
  ),
  botEmail: z
    .email({ error: 'must be the bot’s email address' })
    .describe('The bot’s email address (Settings → Personal → Bots)'),
  apiKey: secretText().describe('The bot’s API key'),
  stream: z
    .string()
    .min(1, { error: 'must not be empty' })
    .describe('Channel (stream) name or id to post to; the bot must be subscribed to it'),
  topic: z
    .string()
    .min(1)
    .max(60, { error: 'must be at most 60 characters (Zulip’s topic limit)' })
    .optional()
    .describe('Topic for every alert (default: one topic per monitor, "node <name>" for nodes)'),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Zulip, in milliseconds (default: the dispatcher’s)',
  ),
});

export type ZulipSettings = z.infer<typeof zulipSettingsSchema>;

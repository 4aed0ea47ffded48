import { z } from 'zod';
import { apiBaseUrl, httpUrl, secretText, timeoutSetting } from '../../kit/settings.ts';

const timeoutMs = timeoutSetting.describe(
  'Time limit for one request to Slack, in milliseconds (default: the dispatcher’s)',
);

/** An incoming webhook: the URL alone is the credential and names the channel. */
const webhookSettings = z.strictObject({
  webhookUrl: httpUrl('Slack incoming webhook URL').describe(
    'Incoming webhook URL (https://hooks.slack.com/services/…); it is a credential',
  ),
  timeoutMs,
});

/** A bot token: posts with chat.postMessage to any channel the bot was invited to. */
const botSettings = z.strictObject({
  token: secretText().describe('Bot token (xoxb-…) with the chat:write scope'),
  channel: z
    .string()
    .min(1, { error: 'must not be empty' })
    .describe('Channel ID (C0123ABC…) or name to post to; invite the bot to it first'),
  threadRecoveries: z
    .boolean()
    .default(true)
    .describe('Post recoveries and retractions as replies in the thread of the outage message'),
  apiUrl: apiBaseUrl('https://slack.com').describe(
    'Slack Web API base URL; change only for a proxy (the path /api/chat.postMessage is added)',
  ),
  timeoutMs,
});

/** Either an incoming webhook or a bot token with a channel. */
export const slackSettingsSchema = z.union([webhookSettings, botSettings], {
  error: 'set either webhookUrl (incoming webhook) or token and channel (bot token)',
});

export type SlackSettings = z.infer<typeof slackSettingsSchema>;
export type SlackBotSettings = z.infer<typeof botSettings>;

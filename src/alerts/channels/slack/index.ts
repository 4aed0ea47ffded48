import { answeredError, receiptOf } from '../../kit/answers.ts';
import { joinUrl } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { slackMessage } from './blocks.ts';
import { slackSettingsSchema, type SlackBotSettings, type SlackSettings } from './settings.ts';

export type { SlackSettings } from './settings.ts';

/**
 * Web API errors Slack documents as transient; every other `ok:false` error (bad token,
 * unknown channel, bot not in channel) would fail again the same way.
 */
const TRANSIENT_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Posts the alert as Block Kit through an incoming webhook or chat.postMessage. */
export const slackChannel: ChannelDefinition<SlackSettings> = {
  type: 'slack',
  title: 'Slack',
  description: 'Post to a Slack channel through an incoming webhook or a bot token (Block Kit)',
  category: 'chat',
  docsUrl: 'https://docs.slack.dev/reference/methods/chat.postMessage/',
  settingsSchema: slackSettingsSchema,
  secrets: { webhookUrl: 'secret-url', token: 'secret' },
  send: (alert, settings, ctx) =>
    'webhookUrl' in settings
      ? sendToWebhook(alert, settings.webhookUrl, ctx)
      : sendWithBot(alert, settings, ctx),
};

async function sendToWebhook(
  alert: OutgoingAlert,
  webhookUrl: string,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({ url: webhookUrl, json: slackMessage(alert) });
  return receiptOf(answer, ctx.secrets);
}

async function sendWithBot(
  alert: OutgoingAlert,
  settings: SlackBotSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const thread =
    settings.threadRecoveries && alert.status === 'resolved' && alert.openingRef !== null
      ? { thread_ts: alert.openingRef, reply_broadcast: true }
      : {};
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, '/api/chat.postMessage'),
    headers: { authorization: `Bearer ${settings.token}` },
    json: { channel: settings.channel, ...slackMessage(alert), ...thread },
  });
  const result = readResult(answer.json());
  if (!result.ok) {
    throw answeredError('Slack', answer, result.error, {
      secrets: ctx.secrets,
      retryable: TRANSIENT_ERRORS.has(result.error),
    });
  }
  return receiptOf(answer, ctx.secrets, result.ts);
}

type PostResult = { ok: true; ts?: string } | { ok: false; error: string };

/** chat.postMessage answers 200 with `{ok, error}` or `{ok, ts}`; anything else is an error. */
function readResult(body: unknown): PostResult {
  if (body === null || typeof body !== 'object') return { ok: false, error: 'unreadable answer' };
  const record = body as Record<string, unknown>;
  if (record['ok'] !== true) {
    const error = typeof record['error'] === 'string' ? record['error'] : 'unknown error';
    return { ok: false, error };
  }
  return typeof record['ts'] === 'string' ? { ok: true, ts: record['ts'] } : { ok: true };
}

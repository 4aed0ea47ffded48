import { z } from 'zod';
import { answeredError, receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import { httpUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { dingtalkSignature } from './signature.ts';

export const dingtalkSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('DingTalk robot webhook URL').describe(
    'Robot webhook URL (https://oapi.dingtalk.com/robot/send?access_token=…); it is a credential',
  ),
  secret: secretText()
    .optional()
    .describe('Signing secret (SEC…), when the robot’s security setting is "Additional signature"'),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to DingTalk, in milliseconds (default: the dispatcher’s)',
  ),
});

export type DingtalkSettings = z.infer<typeof dingtalkSettingsSchema>;

/** A conservative cap on the Markdown text; DingTalk refuses oversized messages (about 20 KB). */
const TEXT_BYTES = 18_000;

/** DingTalk's "send too fast" code (over 20 messages a minute): a later retry can succeed. */
const RATE_LIMITED = 130101;

/** Sends a Markdown message through a DingTalk group robot. */
export const dingtalkChannel: ChannelDefinition<DingtalkSettings> = {
  type: 'dingtalk',
  title: 'DingTalk',
  description: 'Post a Markdown message to a DingTalk group through a custom robot',
  category: 'chat',
  docsUrl: 'https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages',
  settingsSchema: dingtalkSettingsSchema,
  secrets: { webhookUrl: 'secret-url', secret: 'secret' },
  send: sendDingtalk,
};

async function sendDingtalk(
  alert: OutgoingAlert,
  settings: DingtalkSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: signedUrl(settings),
    json: { msgtype: 'markdown', markdown: markdownOf(alert) },
  });
  const code = errorCode(answer.json());
  if (code !== 0) {
    throw answeredError('DingTalk', answer, answer.text, {
      secrets: ctx.secrets,
      retryable: code === RATE_LIMITED,
    });
  }
  return receiptOf(answer, ctx.secrets);
}

function signedUrl(settings: DingtalkSettings): string {
  if (settings.secret === undefined) return settings.webhookUrl;
  const url = new URL(settings.webhookUrl);
  // Wall-clock time on purpose: DingTalk compares it with its own clock.
  const timestamp = Date.now();
  url.searchParams.set('timestamp', String(timestamp));
  url.searchParams.set('sign', dingtalkSignature(settings.secret, timestamp));
  return url.toString();
}

/**
 * `title` is what the notification shows; the text repeats it as a heading. DingTalk's
 * Markdown needs two trailing spaces for a line break, and the "Crosscheck" footer lets a
 * robot secured by the keyword "Crosscheck" accept every alert.
 */
function markdownOf(alert: OutgoingAlert): { title: string; text: string } {
  const title = truncate(alert.message.title, 100);
  const text = fitBytes((limit) => {
    const body = formatBody(alert.message, { flavour: 'plain', limit: Math.max(1, limit - 150) });
    return `### ${title}\n\n${body.replace(/\n/g, '  \n')}\n\n— Crosscheck`;
  }, TEXT_BYTES);
  return { title, text };
}

/** `errcode` (0 is success); an unreadable answer counts as an error. */
function errorCode(body: unknown): number {
  if (body === null || typeof body !== 'object') return -1;
  const code = (body as Record<string, unknown>)['errcode'];
  return typeof code === 'number' ? code : -1;
}

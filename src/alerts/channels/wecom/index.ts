import { z } from 'zod';
import { answeredError, receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

export const wecomSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('WeCom group robot webhook URL').describe(
    'Group robot webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…); it is a credential',
  ),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to WeCom, in milliseconds (default: the dispatcher’s)',
  ),
});

export type WecomSettings = z.infer<typeof wecomSettingsSchema>;

/** WeCom's documented limit for markdown content: 4,096 bytes of UTF-8. */
const CONTENT_BYTES = 4096;

/** WeCom's three Markdown font colours: warning (orange-red), info (green), comment (grey). */
const FONT_COLORS: Record<AlertSeverity, string> = {
  critical: 'warning',
  warning: 'warning',
  info: 'comment',
  ok: 'info',
};

/** WeCom's API frequency limits; a later retry can get past them. */
const RATE_LIMITED = new Set([45009, 45033]);

/** Sends a Markdown message through a WeCom (WeChat Work) group robot. */
export const wecomChannel: ChannelDefinition<WecomSettings> = {
  type: 'wecom',
  title: 'WeCom',
  description: 'Post a Markdown message to a WeCom (WeChat Work) group through a group robot',
  category: 'chat',
  docsUrl: 'https://developer.work.weixin.qq.com/document/path/91770',
  settingsSchema: wecomSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendWecom,
};

async function sendWecom(
  alert: OutgoingAlert,
  settings: WecomSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: settings.webhookUrl,
    json: { msgtype: 'markdown', markdown: { content: markdownOf(alert) } },
  });
  const code = errorCode(answer.json());
  if (code !== 0) {
    throw answeredError('WeCom', answer, answer.text, {
      secrets: ctx.secrets,
      retryable: RATE_LIMITED.has(code),
    });
  }
  return receiptOf(answer, ctx.secrets);
}

/** A coloured bold title, then the plain body (WeCom's Markdown has no escapes). */
function markdownOf(alert: OutgoingAlert): string {
  const { message } = alert;
  const title = `**<font color="${FONT_COLORS[message.severity]}">${truncate(message.title, 200)}</font>**`;
  return fitBytes((limit) => {
    const room = Math.max(1, limit - Buffer.byteLength(title) - 2);
    return `${title}\n\n${formatBody(message, { flavour: 'plain', limit: room })}`;
  }, CONTENT_BYTES);
}

/** `errcode` (0 is success); an unreadable answer counts as an error. */
function errorCode(body: unknown): number {
  if (body === null || typeof body !== 'object') return -1;
  const code = (body as Record<string, unknown>)['errcode'];
  return typeof code === 'number' ? code : -1;
}

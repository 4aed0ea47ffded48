import { z } from 'zod';
import { answeredError, receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { httpUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { larkSignature } from './signature.ts';

export const larkSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('Lark/Feishu bot webhook URL').describe(
    'Custom bot webhook URL (https://open.feishu.cn/open-apis/bot/v2/hook/… or open.larksuite.com); it is a credential',
  ),
  secret: secretText()
    .optional()
    .describe(
      'Signature secret, when the bot’s security settings use "Set signature verification"',
    ),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to Lark, in milliseconds (default: the dispatcher’s)',
  ),
});

export type LarkSettings = z.infer<typeof larkSettingsSchema>;

/** A custom bot request may be at most 20 KB; the card frame takes well under 2 KB. */
const BODY_BYTES = 18 * 1024;

/** Card header colours (Lark's header `template`) by severity. */
const TEMPLATES: Record<AlertSeverity, string> = {
  critical: 'red',
  warning: 'orange',
  info: 'blue',
  ok: 'green',
};

/** Lark's frequency-limit code: the only refusal a later retry can get past. */
const RATE_LIMITED = 11232;

/** Posts an interactive card through a Lark/Feishu group custom bot. */
export const larkChannel: ChannelDefinition<LarkSettings> = {
  type: 'lark',
  title: 'Lark / Feishu',
  description: 'Post a card to a Lark or Feishu group through a custom bot webhook',
  category: 'chat',
  docsUrl: 'https://open.larksuite.com/document/client-docs/bot-v3/add-custom-bot',
  settingsSchema: larkSettingsSchema,
  secrets: { webhookUrl: 'secret-url', secret: 'secret' },
  send: sendLark,
};

async function sendLark(
  alert: OutgoingAlert,
  settings: LarkSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: settings.webhookUrl,
    json: { ...signatureFields(settings.secret), ...larkCard(alert) },
  });
  const code = resultCode(answer.json());
  if (code !== 0) {
    throw answeredError('Lark', answer, answer.text, {
      secrets: ctx.secrets,
      retryable: code === RATE_LIMITED,
    });
  }
  return receiptOf(answer, ctx.secrets);
}

function signatureFields(secret: string | undefined): Record<string, string> {
  if (secret === undefined) return {};
  // Wall-clock time on purpose: Lark compares it with its own clock.
  const timestamp = Math.floor(Date.now() / 1000);
  return { timestamp: String(timestamp), sign: larkSignature(secret, timestamp) };
}

function larkCard(alert: OutgoingAlert): Record<string, unknown> {
  const { message } = alert;
  const elements: unknown[] = [
    {
      tag: 'div',
      text: {
        tag: 'lark_md',
        content: fitBytes((limit) => formatBody(message, { flavour: 'plain', limit }), BODY_BYTES),
      },
    },
  ];
  if (message.url !== null) {
    elements.push({
      tag: 'action',
      actions: [
        {
          tag: 'button',
          text: { tag: 'plain_text', content: 'Open incident' },
          url: message.url,
          type: 'primary',
        },
      ],
    });
  }
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: {
        title: { tag: 'plain_text', content: truncate(message.title, 200) },
        template: TEMPLATES[message.severity],
      },
      elements,
    },
  };
}

/** `code` (0 is success); older deployments answer `StatusCode`. Unreadable answers are -1. */
function resultCode(body: unknown): number {
  if (body === null || typeof body !== 'object') return -1;
  const record = body as Record<string, unknown>;
  const code = record['code'] ?? record['StatusCode'];
  return typeof code === 'number' ? code : -1;
}

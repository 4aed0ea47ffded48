import { z } from 'zod';
import { bodyFailure, receiptOf, refusalOf, secondsAsMs } from '../../kit/answers.ts';
import { escapeHtml, formatBody, textLength, truncate } from '../../kit/formats.ts';
import type { AlertMessage } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl, secretText } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** sendMessage's limit: 1-4096 characters of text after entity parsing (tags do not count). */
export const TELEGRAM_TEXT_LIMIT = 4096;

export const telegramSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.telegram.org').describe(
    'Bot API server; change it only for a local Bot API server',
  ),
  botToken: secretText()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'must look like 123456:ABC-DEF… (from @BotFather)' })
    .describe('Bot token from @BotFather'),
  chatId: z
    .string()
    .regex(/^(-?\d+|@[A-Za-z0-9_]{4,})$/, {
      error: 'must be a numeric chat id or an @channelusername',
    })
    .describe('Chat to post in: a numeric chat id (groups start with -100) or @channelusername'),
  messageThreadId: z.int().positive().optional().describe('Forum topic to post in, if any'),
});

export type TelegramSettings = z.infer<typeof telegramSettingsSchema>;

const answerSchema = z.object({
  ok: z.boolean(),
  description: z.string().optional(),
  result: z.object({ message_id: z.number() }).optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

/** Sends the alert with the Bot API's sendMessage, in HTML parse mode. */
export const telegramChannel: ChannelDefinition<TelegramSettings> = {
  type: 'telegram',
  title: 'Telegram',
  description: 'Post the alert to a Telegram chat, group or channel through a bot',
  category: 'chat',
  docsUrl: 'https://core.telegram.org/bots/api#sendmessage',
  settingsSchema: telegramSettingsSchema,
  // The token is part of the request path, so it is masked in every error about the URL too.
  secrets: { botToken: 'secret' },
  send: sendTelegram,
};

async function sendTelegram(
  alert: OutgoingAlert,
  settings: TelegramSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, `bot${settings.botToken}/sendMessage`),
    json: telegramRequest(alert, settings),
    // 429 is read here: Telegram puts the wait in the body (parameters.retry_after).
    accept: (status) => status === 429,
  });
  const parsed = answerSchema.safeParse(answer.json());
  if (answer.status === 429) {
    const wait = parsed.success ? secondsAsMs(parsed.data.parameters?.retry_after) : undefined;
    throw refusalOf(answer, telegramChannel.title, ctx, wait);
  }
  if (!parsed.success || !parsed.data.ok) {
    const reason = parsed.success ? (parsed.data.description ?? 'ok:false') : answer.text;
    throw bodyFailure(telegramChannel.title, answer.status, reason, ctx);
  }
  const messageId = parsed.data.result?.message_id;
  return receiptOf(answer, ctx.secrets, messageId === undefined ? undefined : String(messageId));
}

/** The sendMessage body; a closing alert replies to the opening's message when it has one. */
export function telegramRequest(
  alert: OutgoingAlert,
  settings: TelegramSettings,
): Record<string, unknown> {
  const request: Record<string, unknown> = {
    chat_id: settings.chatId,
    text: telegramHtml(alert.message),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
  if (settings.messageThreadId !== undefined)
    request['message_thread_id'] = settings.messageThreadId;
  const replyTo = alert.openingRef === null ? NaN : Number(alert.openingRef);
  if (Number.isSafeInteger(replyTo)) {
    request['reply_parameters'] = { message_id: replyTo, allow_sending_without_reply: true };
  }
  return request;
}

/**
 * The title in bold and the plain body, escaped for Telegram's HTML mode. The limit counts
 * the text after parsing, so it is applied before escaping (escapes and tags do not count).
 */
export function telegramHtml(message: AlertMessage): string {
  const room = TELEGRAM_TEXT_LIMIT - textLength(message.title) - 2;
  if (room <= 0) return `<b>${escapeHtml(truncate(message.title, TELEGRAM_TEXT_LIMIT))}</b>`;
  const body = formatBody(message, { flavour: 'plain', limit: room });
  return `<b>${escapeHtml(message.title)}</b>\n\n${escapeHtml(body)}`;
}

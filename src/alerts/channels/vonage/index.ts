import { z } from 'zod';
import { bodyFailure, receiptOf } from '../../kit/answers.ts';
import { apiBaseUrl, joinUrl, secretText } from '../../kit/settings.ts';
import { formatSms } from '../../kit/sms.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Concatenated SMS are split by Vonage; kept to Twilio's 1,600 so a page stays a few parts. */
export const VONAGE_TEXT_LIMIT = 1600;
/** messages[].status values that are temporary: 1 Throttled, 5 Internal Error. */
const TEMPORARY_STATUSES = new Set(['1', '5']);
/** GSM 03.38 basic and extension characters; anything else needs `type=unicode`. */
const GSM_TEXT =
  /^[A-Za-z0-9 \n\r@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/;

export const vonageSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://rest.nexmo.com').describe('Vonage SMS API address'),
  apiKey: z
    .string()
    .regex(/^[A-Za-z0-9]{8}$/, { error: 'must be the 8-character API key' })
    .describe('API key (Dashboard → API settings)'),
  apiSecret: secretText(6).max(32).describe('API secret (Dashboard → API settings)'),
  from: z
    .string()
    .regex(/^(\+?[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/, {
      error: 'must be a Vonage number or an alphanumeric sender id (up to 11 characters)',
    })
    .describe('Sender: your Vonage number or an alphanumeric sender id'),
  to: z
    .string()
    .regex(/^\+?[1-9]\d{6,14}$/, { error: 'must be a phone number with country code' })
    .describe('Phone number to text, with country code, e.g. 447700900000'),
});

export type VonageSettings = z.infer<typeof vonageSettingsSchema>;

const answerSchema = z.object({
  messages: z
    .array(
      z.object({
        status: z.string(),
        'message-id': z.string().optional(),
        'error-text': z.string().optional(),
      }),
    )
    .min(1),
});

/** Sends the alert as an SMS with Vonage's (Nexmo's) SMS API. */
export const vonageChannel: ChannelDefinition<VonageSettings> = {
  type: 'vonage',
  title: 'Vonage SMS',
  description: 'Text the alert to a phone with the Vonage (Nexmo) SMS API',
  category: 'sms',
  docsUrl: 'https://developer.vonage.com/en/api/sms',
  settingsSchema: vonageSettingsSchema,
  secrets: { apiSecret: 'secret' },
  send: sendVonage,
};

async function sendVonage(
  alert: OutgoingAlert,
  settings: VonageSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const text = formatSms(alert.message, VONAGE_TEXT_LIMIT);
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, 'sms/json'),
    form: {
      api_key: settings.apiKey,
      api_secret: settings.apiSecret,
      from: settings.from.replace(/^\+/, ''),
      to: settings.to.replace(/^\+/, ''),
      text,
      ...(GSM_TEXT.test(text) ? {} : { type: 'unicode' }),
    },
  });
  // The SMS API answers 200 even when it refuses: each part says so in messages[].status.
  const parsed = answerSchema.safeParse(answer.json());
  if (!parsed.success) throw bodyFailure(vonageChannel.title, answer.status, answer.text, ctx);
  const failed = parsed.data.messages.find((part) => part.status !== '0');
  if (failed !== undefined) {
    const reason = `status ${failed.status}: ${failed['error-text'] ?? 'no error text'}`;
    const temporary = TEMPORARY_STATUSES.has(failed.status);
    throw bodyFailure(vonageChannel.title, answer.status, reason, ctx, temporary);
  }
  return receiptOf(answer, ctx.secrets, parsed.data.messages[0]?.['message-id']);
}

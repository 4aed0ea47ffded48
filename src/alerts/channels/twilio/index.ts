import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { apiBaseUrl, joinUrl, secretText } from '../../kit/settings.ts';
import { formatSms } from '../../kit/sms.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Body: "The text content of the outgoing message. Can be up to 1,600 characters long." */
export const TWILIO_BODY_LIMIT = 1600;

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number like +14155550100' });

export const twilioSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.twilio.com').describe('Twilio REST API address'),
  accountSid: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, {
      error: 'must be an Account SID (AC followed by 32 hex digits)',
    })
    .describe('Account SID (Console → Account info)'),
  authToken: secretText().describe('Auth token (Console → Account info)'),
  from: z
    .union([e164, z.string().regex(/^[A-Za-z0-9 ]{1,11}$/)], {
      error: 'must be a Twilio number in E.164 form or an alphanumeric sender id',
    })
    .describe('Your Twilio number (E.164) or an alphanumeric sender id'),
  to: e164.describe('Phone number to text, in E.164 form'),
});

export type TwilioSettings = z.infer<typeof twilioSettingsSchema>;

const answerSchema = z.object({ sid: z.string().optional() });

/** Sends the alert as an SMS with Twilio's Messages resource (form-encoded, Basic auth). */
export const twilioChannel: ChannelDefinition<TwilioSettings> = {
  type: 'twilio',
  title: 'Twilio SMS',
  description: 'Text the alert to a phone with Twilio Programmable Messaging',
  category: 'sms',
  docsUrl: 'https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource',
  settingsSchema: twilioSettingsSchema,
  secrets: { authToken: 'secret' },
  send: sendTwilio,
};

async function sendTwilio(
  alert: OutgoingAlert,
  settings: TwilioSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, `2010-04-01/Accounts/${settings.accountSid}/Messages.json`),
    basicAuth: { username: settings.accountSid, password: settings.authToken },
    form: {
      To: settings.to,
      From: settings.from,
      Body: formatSms(alert.message, TWILIO_BODY_LIMIT),
    },
  });
  return receiptOf(answer, ctx.secrets, answerSchema.safeParse(answer.json()).data?.sid);
}

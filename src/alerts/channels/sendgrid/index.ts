import { z } from 'zod';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { composeAlertMail } from '../email/compose.ts';
import { mailAddressFields } from '../email/settings.ts';

export const sendgridSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.sendgrid.com').describe(
    'API base URL; https://api.eu.sendgrid.com for EU regional subusers',
  ),
  apiKey: secretText().describe('SendGrid API key with the Mail Send permission'),
  ...mailAddressFields,
  timeoutMs: timeoutSetting,
});

export type SendgridSettings = z.infer<typeof sendgridSettingsSchema>;

/** Sends the alert as a text + HTML mail through SendGrid's v3 Mail Send API. */
export const sendgridChannel: ChannelDefinition<SendgridSettings> = {
  type: 'sendgrid',
  title: 'SendGrid',
  description: 'Send a text and HTML mail through the SendGrid Mail Send API',
  category: 'email',
  docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send',
  settingsSchema: sendgridSettingsSchema,
  secrets: { apiKey: 'secret' },
  send: sendSendgrid,
};

async function sendSendgrid(
  alert: OutgoingAlert,
  settings: SendgridSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const mail = composeAlertMail(alert, {
    subjectPrefix: settings.subjectPrefix,
    fromAddress: settings.from,
  });
  // Threading headers only: SendGrid sets the Message-ID itself.
  const headers: Record<string, string> = { References: mail.references.join(' ') };
  if (mail.inReplyTo !== null) headers['In-Reply-To'] = mail.inReplyTo;
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, 'v3/mail/send'),
    headers: { authorization: `Bearer ${settings.apiKey}` },
    json: {
      personalizations: [{ to: settings.to.map((email) => ({ email })) }],
      from: {
        email: settings.from,
        ...(settings.fromName === undefined ? {} : { name: settings.fromName }),
      },
      subject: mail.subject,
      // SendGrid requires text/plain before text/html.
      content: [
        { type: 'text/plain', value: mail.text },
        { type: 'text/html', value: mail.html },
      ],
      headers,
    },
  });
  const messageId = answer.headers['x-message-id'];
  return {
    status: answer.status,
    answer: messageId === undefined ? 'accepted' : `accepted, X-Message-Id ${messageId}`,
    ...(messageId === undefined ? {} : { providerRef: messageId }),
  };
}

import { z } from 'zod';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { composeAlertMail } from '../email/compose.ts';
import { mailAddressFields } from '../email/settings.ts';
import { receiptOf } from '../../kit/answers.ts';

export const mailgunSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.mailgun.net').describe(
    'API base URL; https://api.eu.mailgun.net for domains in the EU region',
  ),
  domain: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, { error: 'must be a domain name' })
    .describe('Your Mailgun sending domain, e.g. mg.example.com'),
  apiKey: secretText().describe('Mailgun API key (or a domain sending key)'),
  ...mailAddressFields,
  timeoutMs: timeoutSetting,
});

export type MailgunSettings = z.infer<typeof mailgunSettingsSchema>;

/** Sends the alert as a text + HTML mail through Mailgun's messages API. */
export const mailgunChannel: ChannelDefinition<MailgunSettings> = {
  type: 'mailgun',
  title: 'Mailgun',
  description: 'Send a text and HTML mail through the Mailgun messages API',
  category: 'email',
  docsUrl:
    'https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/messages/post-v3--domain-name--messages',
  settingsSchema: mailgunSettingsSchema,
  secrets: { apiKey: 'secret' },
  send: sendMailgun,
};

async function sendMailgun(
  alert: OutgoingAlert,
  settings: MailgunSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const mail = composeAlertMail(alert, {
    subjectPrefix: settings.subjectPrefix,
    fromAddress: settings.from,
  });
  const form = new URLSearchParams();
  form.set(
    'from',
    settings.fromName === undefined ? settings.from : `${settings.fromName} <${settings.from}>`,
  );
  for (const to of settings.to) form.append('to', to);
  form.set('subject', mail.subject);
  form.set('text', mail.text);
  form.set('html', mail.html);
  // `h:` fields become MIME headers: our own Message-ID, so the closing can reply to it.
  form.set('h:Message-Id', mail.messageId);
  form.set('h:References', mail.references.join(' '));
  if (mail.inReplyTo !== null) form.set('h:In-Reply-To', mail.inReplyTo);
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, `v3/${encodeURIComponent(settings.domain)}/messages`),
    basicAuth: { username: 'api', password: settings.apiKey },
    form,
  });
  const id = idIn(answer.json());
  return {
    status: answer.status,
    answer: receiptOf(answer, ctx.secrets).answer,
    providerRef: id ?? mail.messageId,
  };
}

function idIn(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const id = (json as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : undefined;
}

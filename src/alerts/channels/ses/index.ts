import { z } from 'zod';
import type { ChannelDefinition } from '../../types.ts';
import { sendAlertMail } from '../email/send-mail.ts';
import { mailFields } from '../email/settings.ts';

/** SES's SMTP interface only takes STARTTLS on 587 (or 25, 2587) and TLS on 465 (or 2465). */
const SES_PORTS = [25, 587, 2587, 465, 2465];
const TLS_PORTS = new Set([465, 2465]);

export const sesSettingsSchema = z.strictObject({
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region, e.g. eu-west-1' })
    .describe('AWS region of your SES identity, e.g. eu-west-1'),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, { error: 'must be a host name or IP address' })
    .optional()
    .describe('SMTP endpoint; default email-smtp.<region>.amazonaws.com (VPC endpoints differ)'),
  port: z
    .int()
    .min(1)
    .max(65_535)
    .default(587)
    .describe(`SMTP port: 587 (STARTTLS, default) or 465 (TLS); SES uses ${SES_PORTS.join(', ')}`),
  ...mailFields,
  username: z.string().min(1).describe('SES SMTP user name (not your AWS access key id)'),
  password: mailFields.password.unwrap().describe('SES SMTP password, never shown again'),
});

export type SesSettings = z.infer<typeof sesSettingsSchema>;

/** Sends through Amazon SES's SMTP interface with SMTP credentials; same mail as `email`. */
export const sesChannel: ChannelDefinition<SesSettings> = {
  type: 'ses',
  title: 'Amazon SES',
  description: 'Send a text and HTML mail through the Amazon SES SMTP interface',
  category: 'email',
  docsUrl: 'https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html',
  settingsSchema: sesSettingsSchema,
  secrets: { password: 'secret' },
  send: (alert, settings, ctx) =>
    sendAlertMail(
      alert,
      {
        ...settings,
        provider: 'Amazon SES',
        host: settings.host ?? `email-smtp.${settings.region}.amazonaws.com`,
        security: TLS_PORTS.has(settings.port) ? 'tls' : 'starttls',
      },
      ctx,
    ),
};

import type { ChannelDefinition } from '../../types.ts';
import { sendAlertMail } from './send-mail.ts';
import { defaultSmtpPort, emailSettingsSchema, type EmailSettings } from './settings.ts';

export type { EmailSettings } from './settings.ts';

/** Sends a text + HTML mail through an SMTP relay; recoveries thread under their down mail. */
export const emailChannel: ChannelDefinition<EmailSettings> = {
  type: 'email',
  title: 'Email (SMTP)',
  description: 'Send a text and HTML mail through your SMTP server (STARTTLS or TLS, with login)',
  category: 'email',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc5321',
  settingsSchema: emailSettingsSchema,
  secrets: { password: 'secret' },
  send: (alert, settings, ctx) =>
    sendAlertMail(
      alert,
      {
        ...settings,
        provider: 'SMTP server',
        port: settings.port ?? defaultSmtpPort(settings.security),
      },
      ctx,
    ),
};

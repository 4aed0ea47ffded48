import { z } from 'zod';
import { secretText, timeoutSetting } from '../../kit/settings.ts';

/** At most this many recipients per target: beyond it a mailing list is the right tool. */
export const MAX_RECIPIENTS = 50;

/** How the connection is secured: STARTTLS upgrade (587), TLS from the start (465), or none. */
export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** A PEM certificate block; checked for shape only (Node's TLS stack reports a broken one). */
const pemCertificate = z
  .string()
  .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, {
    error: 'must be a PEM certificate (-----BEGIN CERTIFICATE----- …)',
  });

/** Sender, recipients and subject prefix: what every mail channel (SMTP or HTTP API) takes. */
export const mailAddressFields = {
  from: z.email({ error: 'must be an email address' }).describe('Sender address (From)'),
  fromName: z
    .string()
    .max(100)
    .regex(/^[^\r\n"<>]*$/, { error: 'must not contain line breaks, quotes or angle brackets' })
    .optional()
    .describe('Sender display name, e.g. "Crosscheck"'),
  to: z
    .array(z.email({ error: 'must be an email address' }))
    .min(1, { error: 'must name at least one recipient' })
    .max(MAX_RECIPIENTS, { error: `must name at most ${MAX_RECIPIENTS} recipients` })
    .describe(`Recipient addresses (1 to ${MAX_RECIPIENTS})`),
  subjectPrefix: z
    .string()
    .max(50)
    .regex(/^[^\r\n]*$/, { error: 'must not contain line breaks' })
    .default('[Crosscheck]')
    .describe('Put before every subject, e.g. "[Crosscheck]"; empty for none'),
};

/**
 * The fields every mail channel sending over SMTP shares (email, Amazon SES): the login, the
 * addresses, and the TLS trust anchors.
 */
export const mailFields = {
  username: z.string().min(1).optional().describe('SMTP user name (leave out for no login)'),
  password: secretText()
    .optional()
    .describe('SMTP password; required with a user name, never shown again'),
  ...mailAddressFields,
  caCertificate: pemCertificate
    .optional()
    .describe('Extra CA certificate (PEM) to trust, for a relay with a private CA'),
  timeoutMs: timeoutSetting.describe('Time limit for the whole SMTP session, in milliseconds'),
};

/** A user name and a password come together or not at all. */
export function loginIsComplete(settings: {
  username?: string | undefined;
  password?: string | undefined;
}): boolean {
  return (settings.username === undefined) === (settings.password === undefined);
}

/** The refinement message of `loginIsComplete`, on the password field. */
export const LOGIN_ERROR = {
  error: 'username and password must be set together',
  path: ['password'],
};

/** Settings of one email target (SMTP relay). */
export const emailSettingsSchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:[\]-]+$/, { error: 'must be a host name or IP address' })
      .describe('SMTP server host name, e.g. smtp.example.com'),
    port: z
      .int()
      .min(1)
      .max(65_535)
      .optional()
      .describe('SMTP port; default 587 for starttls, 465 for tls, 25 for none'),
    security: z
      .enum(SMTP_SECURITY)
      .default('starttls')
      .describe('starttls (upgrade, port 587), tls (TLS from the start, port 465) or none'),
    allowUnencrypted: z
      .boolean()
      .default(false)
      .describe('Must be true to use security "none": mail and password then travel in clear'),
    ...mailFields,
  })
  .refine(loginIsComplete, LOGIN_ERROR)
  .refine((s) => s.security !== 'none' || s.allowUnencrypted, {
    error: 'security "none" sends the password and mail in clear; set allowUnencrypted: true',
    path: ['security'],
  });

export type EmailSettings = z.infer<typeof emailSettingsSchema>;

/** The port a security mode uses when the settings name none. */
export function defaultSmtpPort(security: SmtpSecurity): number {
  return security === 'tls' ? 465 : security === 'none' ? 25 : 587;
}

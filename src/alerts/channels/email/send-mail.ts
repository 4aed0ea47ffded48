import { maskSecrets } from '../../kit/secrets.ts';
import {
  ChannelError,
  type ChannelContext,
  type OutgoingAlert,
  type SendReceipt,
} from '../../types.ts';
import { composeAlertMail } from './compose.ts';
import type { SmtpSecurity } from './settings.ts';

/** Where and how one SMTP-speaking channel (email, Amazon SES) delivers. */
export interface SmtpRoute {
  /** The provider's name for error messages ("Amazon SES answered 554: …"). */
  provider: string;
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string | undefined;
  password?: string | undefined;
  from: string;
  fromName?: string | undefined;
  to: readonly string[];
  subjectPrefix: string;
  caCertificate?: string | undefined;
  timeoutMs?: number | undefined;
}

/** Node error codes and nodemailer codes that mean the connection failed, not the mail. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ESOCKET',
  'EDNS',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * Sends one alert as a mail over SMTP (nodemailer, one connection per send: alerts are rare
 * and a pooled connection would outlive the dispatcher's shutdown). The whole session — connect,
 * TLS, login, envelope, data — must finish within the time limit. SMTP replies are classified
 * as RFC 5321 defines them: 4xx transient (retryable), 5xx permanent (final).
 */
export async function sendAlertMail(
  alert: OutgoingAlert,
  route: SmtpRoute,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const timeoutMs = route.timeoutMs ?? ctx.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const mail = composeAlertMail(alert, {
    subjectPrefix: route.subjectPrefix,
    fromAddress: route.from,
  });
  // Loaded on the first mail: help, validation and the other channels never need nodemailer.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: route.host,
    port: route.port,
    secure: route.security === 'tls',
    requireTLS: route.security === 'starttls',
    ignoreTLS: route.security === 'none',
    ...(route.username === undefined
      ? {}
      : { auth: { user: route.username, pass: route.password ?? '' } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    socketCloseTimeout: 0,
    tls: {
      minVersion: 'TLSv1.2',
      ...(route.caCertificate === undefined ? {} : { ca: route.caCertificate }),
    },
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from:
        route.fromName === undefined ? route.from : { name: route.fromName, address: route.from },
      to: [...route.to],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      references: mail.references,
      ...(mail.inReplyTo === null ? {} : { inReplyTo: mail.inReplyTo }),
      headers: { 'X-Crosscheck-Event': alert.event.kind },
      signal: AbortSignal.any([ctx.signal, timeout]),
    });
    const response = String(info.response ?? '');
    // Some recipients refused: the mail still went to the others, so a retry would repeat it.
    const refused = info.rejected.length === 0 ? '' : ` (refused: ${info.rejected.join(', ')})`;
    const answer = maskSecrets(`${response.slice(0, 200)}${refused}`, ctx.secrets);
    return { status: replyCode(response), answer, providerRef: mail.messageId };
  } catch (error) {
    throw mailFailure(error, route, { stop: ctx.signal, timeout, timeoutMs }, ctx.secrets);
  } finally {
    transport.close();
  }
}

/** The SMTP reply code at the start of a server answer ("250 2.0.0 OK"). */
function replyCode(answer: string): number | null {
  const match = /^(\d{3})\b/.exec(answer);
  return match === null ? null : Number(match[1]);
}

interface MailError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

function mailFailure(
  error: unknown,
  route: SmtpRoute,
  aborts: { stop: AbortSignal; timeout: AbortSignal; timeoutMs: number },
  secrets: readonly string[],
): ChannelError {
  const mask = (text: string) => maskSecrets(text, secrets);
  if (aborts.stop.aborted) {
    return new ChannelError('send aborted: dispatcher is stopping', { retryable: true });
  }
  const details: MailError = error !== null && typeof error === 'object' ? error : {};
  const code = typeof details.code === 'string' ? details.code : '';
  if (aborts.timeout.aborted || code === 'ETIMEDOUT') {
    return new ChannelError(`${route.provider} timed out after ${aborts.timeoutMs}ms`, {
      retryable: true,
    });
  }
  const status = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  if (status !== undefined) {
    const reply = typeof details.response === 'string' ? details.response : '';
    const what = code === 'EAUTH' ? 'refused the login' : 'answered';
    return new ChannelError(
      mask(`${route.provider} ${what} ${status}: ${oneLine(reply).slice(0, 300)}`),
      { retryable: status < 500, status },
    );
  }
  const message = typeof details.message === 'string' ? details.message : String(error);
  const where = `${route.host}:${route.port}`;
  return new ChannelError(
    mask(`${route.provider} SMTP session with ${where} failed: ${oneLine(message).slice(0, 300)}`),
    // Certificate and TLS problems are configuration; they do not fix themselves.
    { retryable: CONNECTION_CODES.has(code) },
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

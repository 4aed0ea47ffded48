import { z } from 'zod';
import { bodyFailure, receiptOf } from '../../kit/answers.ts';
import { formatBody } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { httpUrl, joinUrl } from '../../kit/settings.ts';
import { ChannelError } from '../../types.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Apprise splits or truncates per service; the body is kept to a readable page. */
const BODY_LIMIT = 4096;

export const appriseSettingsSchema = z
  .strictObject({
    url: httpUrl('Apprise API URL').describe('Your Apprise API server, e.g. http://apprise:8000'),
    key: z
      .string()
      .regex(/^[\w-]{1,128}$/, { error: 'must be letters, digits, - or _' })
      .optional()
      .describe('Configuration key saved on the server (POST /notify/<key>)'),
    tag: z.string().min(1).optional().describe('Only the saved URLs with this tag (with key)'),
    urls: z
      .string()
      .min(1)
      .optional()
      .describe('Apprise URLs to notify without a saved configuration (they hold credentials)'),
  })
  .refine((s) => (s.key === undefined) !== (s.urls === undefined), {
    error: 'set either key (a saved configuration) or urls',
    path: ['key'],
  })
  .refine((s) => s.tag === undefined || s.key !== undefined, {
    error: 'tag selects among a saved configuration: set key too',
    path: ['tag'],
  });

export type AppriseSettings = z.infer<typeof appriseSettingsSchema>;

/** Apprise's notification type per severity (it picks colours and icons from it). */
export function appriseType(severity: AlertSeverity): 'failure' | 'warning' | 'success' | 'info' {
  switch (severity) {
    case 'critical':
      return 'failure';
    case 'warning':
      return 'warning';
    case 'ok':
      return 'success';
    case 'info':
      return 'info';
  }
}

/** Sends the alert through an Apprise API server to every service it is configured for. */
export const appriseChannel: ChannelDefinition<AppriseSettings> = {
  type: 'apprise',
  title: 'Apprise API',
  description: 'Fan the alert out through your Apprise API server to any of its 100+ services',
  category: 'automation',
  docsUrl: 'https://github.com/caronc/apprise-api#api-details',
  settingsSchema: appriseSettingsSchema,
  secrets: { urls: 'secret' },
  send: sendApprise,
};

async function sendApprise(
  alert: OutgoingAlert,
  settings: AppriseSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const { message } = alert;
  const payload: Record<string, unknown> = {
    title: message.title,
    body: formatBody(message, { flavour: 'markdown', limit: BODY_LIMIT }),
    type: appriseType(message.severity),
    format: 'markdown',
  };
  if (settings.urls !== undefined) payload['urls'] = settings.urls;
  if (settings.tag !== undefined) payload['tag'] = settings.tag;
  const path = settings.key === undefined ? 'notify/' : `notify/${settings.key}`;
  const answer = await ctx.http.send({
    url: joinUrl(settings.url, path),
    json: payload,
    // 424: some services failed; read here so it is retried (they may be briefly down).
    accept: (status) => status === 424,
  });
  if (answer.status === 424) {
    throw new ChannelError(
      `${appriseChannel.title} answered 424: at least one of its services failed to send`,
      { retryable: true, status: 424 },
    );
  }
  // 204: nothing matched the key or tag, so nobody was notified.
  if (answer.status === 204) {
    throw bodyFailure(appriseChannel.title, 204, 'no configuration or URLs matched', ctx);
  }
  return receiptOf(answer, ctx.secrets);
}

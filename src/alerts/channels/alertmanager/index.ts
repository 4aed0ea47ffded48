import { z } from 'zod';
import { formatBody } from '../../kit/formats.ts';
import { startedAt } from '../../kit/incident-fields.ts';
import { httpUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { alertLabels, LABEL_NAME } from './labels.ts';
import { receiptOf } from '../../kit/answers.ts';

const DESCRIPTION_LIMIT = 10_000;
const WEEK_MINUTES = 7 * 24 * 60;

export const alertmanagerSettingsSchema = z
  .strictObject({
    url: httpUrl('Alertmanager URL').describe(
      'Alertmanager address with its route prefix, if any (e.g. http://alertmanager:9093)',
    ),
    username: z.string().min(1).optional().describe('User for HTTP Basic authentication'),
    password: secretText().optional().describe('Password for HTTP Basic authentication'),
    bearerToken: secretText()
      .optional()
      .describe('Bearer token, for an Alertmanager behind an authenticating proxy'),
    labels: z
      .record(
        z.string().regex(LABEL_NAME, { error: 'must be a Prometheus label name' }),
        z.string(),
      )
      .optional()
      .describe('Extra labels on every alert, for routing (e.g. team: payments)'),
    holdMinutes: z
      .int()
      .min(5)
      .max(30 * 24 * 60)
      .default(WEEK_MINUTES)
      .describe(
        'How long a firing alert stays active if no resolve arrives (Crosscheck sends it once, not repeatedly)',
      ),
    timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
  })
  .refine((s) => (s.password === undefined) === (s.username === undefined), {
    error: 'username and password go together',
    path: ['password'],
  })
  .refine((s) => s.bearerToken === undefined || s.username === undefined, {
    error: 'use either Basic authentication or a bearer token, not both',
    path: ['bearerToken'],
  });

export type AlertmanagerSettings = z.infer<typeof alertmanagerSettingsSchema>;

/** Posts a firing alert to Prometheus Alertmanager and resolves it with the same labels. */
export const alertmanagerChannel: ChannelDefinition<AlertmanagerSettings> = {
  type: 'alertmanager',
  title: 'Prometheus Alertmanager',
  description: 'Post firing and resolved alerts to Prometheus Alertmanager (API v2)',
  category: 'incident',
  docsUrl: 'https://prometheus.io/docs/alerting/latest/alerts_api/',
  settingsSchema: alertmanagerSettingsSchema,
  secrets: { password: 'secret', bearerToken: 'secret' },
  send: sendAlertmanager,
  retry: { maxAttempts: 20 },
};

async function sendAlertmanager(
  alert: OutgoingAlert,
  settings: AlertmanagerSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const postable = postableAlert(alert, settings, Date.now());
  const answer = await ctx.http.send({
    url: joinUrl(settings.url, '/api/v2/alerts'),
    json: [postable],
    ...auth(settings),
  });
  const receipt = receiptOf(answer, ctx.secrets);
  // The closing must repeat these labels exactly (see labels.ts).
  return alert.status === 'firing'
    ? { ...receipt, providerRef: JSON.stringify(postable.labels) }
    : receipt;
}

/** One postableAlert; a resolved alert ends now, a firing one after the hold time. */
export function postableAlert(
  alert: OutgoingAlert,
  settings: Pick<AlertmanagerSettings, 'labels' | 'holdMinutes'>,
  nowMs: number,
): { labels: Record<string, string> } & Record<string, unknown> {
  const { message } = alert;
  const endsAt = alert.status === 'resolved' ? nowMs : nowMs + settings.holdMinutes * 60_000;
  return {
    labels: alertLabels(alert, settings.labels ?? {}),
    annotations: {
      summary: message.title,
      description: formatBody(message, { flavour: 'plain', limit: DESCRIPTION_LIMIT }),
    },
    startsAt: startedAt(alert),
    endsAt: new Date(endsAt).toISOString(),
    ...(message.url === null ? {} : { generatorURL: message.url }),
  };
}

function auth(settings: AlertmanagerSettings) {
  if (settings.username !== undefined && settings.password !== undefined) {
    return { basicAuth: { username: settings.username, password: settings.password } };
  }
  if (settings.bearerToken !== undefined) {
    return { headers: { Authorization: `Bearer ${settings.bearerToken}` } };
  }
  return {};
}

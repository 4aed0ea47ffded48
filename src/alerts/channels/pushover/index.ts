import { z } from 'zod';
import { bodyFailure, receiptOf } from '../../kit/answers.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** "Messages are currently limited to 1,024 4-byte UTF-8 characters, with a title of up to 250." */
export const PUSHOVER_MESSAGE_LIMIT = 1024;
export const PUSHOVER_TITLE_LIMIT = 250;
const URL_LIMIT = 512;

const key = (what: string) =>
  z.string().regex(/^[A-Za-z0-9]{30}$/, { error: `must be the 30-character ${what}` });

export const pushoverSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.pushover.net').describe('Pushover API address'),
  token: key('application API token').describe(
    'API token of the application you registered for Crosscheck (pushover.net/apps/build)',
  ),
  user: key('user or group key').describe('User or group key to notify (Pushover dashboard)'),
  device: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$/, {
      error: 'must be device names, comma-separated',
    })
    .optional()
    .describe("Only these devices (comma-separated names) instead of all the user's devices"),
  sound: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .optional()
    .describe('Sound name overriding the user default'),
});

export type PushoverSettings = z.infer<typeof pushoverSettingsSchema>;

const answerSchema = z.object({
  status: z.number(),
  request: z.string().optional(),
  errors: z.array(z.string()).optional(),
});

/**
 * Pushover priority per alert severity: outages bypass quiet hours (1), warnings are normal,
 * retractions are quiet (-1), and a recovery is normal so people learn the page is over.
 */
export function pushoverPriority(severity: AlertSeverity): -1 | 0 | 1 {
  switch (severity) {
    case 'critical':
      return 1;
    case 'info':
      return -1;
    case 'warning':
    case 'ok':
      return 0;
  }
}

/** Pushes the alert with Pushover's Message API. */
export const pushoverChannel: ChannelDefinition<PushoverSettings> = {
  type: 'pushover',
  title: 'Pushover',
  description: 'Push the alert to phones and desktops with Pushover',
  category: 'push',
  docsUrl: 'https://pushover.net/api',
  settingsSchema: pushoverSettingsSchema,
  secrets: { token: 'secret', user: 'secret' },
  send: sendPushover,
};

async function sendPushover(
  alert: OutgoingAlert,
  settings: PushoverSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, '1/messages.json'),
    form: pushoverForm(alert, settings),
  });
  const parsed = answerSchema.safeParse(answer.json());
  if (!parsed.success || parsed.data.status !== 1) {
    const reason = parsed.success ? (parsed.data.errors?.join('; ') ?? 'status 0') : answer.text;
    throw bodyFailure(pushoverChannel.title, answer.status, reason, ctx);
  }
  return receiptOf(answer, ctx.secrets, parsed.data.request);
}

/** The form fields of one message. */
export function pushoverForm(
  alert: OutgoingAlert,
  settings: PushoverSettings,
): Record<string, string> {
  const { message } = alert;
  const form: Record<string, string> = {
    token: settings.token,
    user: settings.user,
    title: truncate(message.title, PUSHOVER_TITLE_LIMIT),
    // The link goes in its own field (a tappable button), so the text is left without it.
    message: formatBody(
      { ...message, url: null },
      { flavour: 'plain', limit: PUSHOVER_MESSAGE_LIMIT },
    ),
    priority: String(pushoverPriority(message.severity)),
    timestamp: String(Math.floor(alert.event.occurredAt / 1000)),
  };
  if (message.url !== null && message.url.length <= URL_LIMIT) {
    form['url'] = message.url;
    form['url_title'] = 'Open in Crosscheck';
  }
  if (settings.device !== undefined) form['device'] = settings.device;
  if (settings.sound !== undefined) form['sound'] = settings.sound;
  return form;
}

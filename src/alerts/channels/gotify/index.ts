import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { formatBody } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { httpUrl, joinUrl, secretText } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Gotify documents no limit; this keeps a page readable on a phone. */
const MESSAGE_LIMIT = 4096;

export const gotifySettingsSchema = z.strictObject({
  url: httpUrl('Gotify server URL').describe('Your Gotify server, e.g. https://push.example.org'),
  token: secretText().describe('Application token (Apps → create an application for Crosscheck)'),
});

export type GotifySettings = z.infer<typeof gotifySettingsSchema>;

const answerSchema = z.object({ id: z.number().optional() });

/**
 * Gotify priority per severity. The Android app stays silent below 4, plays a sound from 4
 * and pops up from 8: outages pop up, warnings sound, recoveries sound softly, retractions
 * only show in the list.
 */
export function gotifyPriority(severity: AlertSeverity): number {
  switch (severity) {
    case 'critical':
      return 8;
    case 'warning':
      return 5;
    case 'ok':
      return 4;
    case 'info':
      return 2;
  }
}

/** Pushes the alert to a Gotify server (POST /message, Markdown body, click-through link). */
export const gotifyChannel: ChannelDefinition<GotifySettings> = {
  type: 'gotify',
  title: 'Gotify',
  description: 'Push the alert to your self-hosted Gotify server',
  category: 'push',
  docsUrl: 'https://gotify.net/docs/pushmsg',
  settingsSchema: gotifySettingsSchema,
  secrets: { token: 'secret' },
  send: sendGotify,
};

async function sendGotify(
  alert: OutgoingAlert,
  settings: GotifySettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const { message } = alert;
  const extras: Record<string, unknown> = { 'client::display': { contentType: 'text/markdown' } };
  if (message.url !== null) extras['client::notification'] = { click: { url: message.url } };
  const answer = await ctx.http.send({
    url: joinUrl(settings.url, 'message'),
    // The header keeps the token out of the URL (and so out of proxy access logs).
    headers: { 'x-gotify-key': settings.token },
    json: {
      title: message.title,
      message: formatBody(message, { flavour: 'markdown', limit: MESSAGE_LIMIT }),
      priority: gotifyPriority(message.severity),
      extras,
    },
  });
  const id = answerSchema.safeParse(answer.json()).data?.id;
  return receiptOf(answer, ctx.secrets, id === undefined ? undefined : String(id));
}

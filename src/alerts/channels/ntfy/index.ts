import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatBody } from '../../kit/formats.ts';
import type { AlertMessage, AlertSeverity } from '../../kit/message.ts';
import { httpUrl } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** The server's default message-size-limit: larger messages become attachments or are refused. */
export const NTFY_MESSAGE_BYTES = 4096;

export const ntfySettingsSchema = z
  .strictObject({
    url: httpUrl('ntfy server URL').describe('The ntfy server, e.g. https://ntfy.sh or your own'),
    topic: z
      .string()
      .regex(/^[-_A-Za-z0-9]{1,64}$/, { error: 'must be 1-64 letters, digits, - or _' })
      .describe(
        'Topic to publish to; on a public server without access control it acts as a password',
      ),
    token: z
      .string()
      .min(1)
      .optional()
      .describe('Access token (tk_…), for servers with access control'),
    username: z.string().min(1).optional().describe('User name, instead of a token'),
    password: z.string().min(1).optional().describe('Password for the user name'),
  })
  .refine((s) => (s.username === undefined) === (s.password === undefined), {
    error: 'username and password go together',
    path: ['password'],
  })
  .refine((s) => s.token === undefined || s.username === undefined, {
    error: 'use either a token or a username and password',
    path: ['token'],
  });

export type NtfySettings = z.infer<typeof ntfySettingsSchema>;

const answerSchema = z.object({ id: z.string().optional() });

/** ntfy priority (1 min … 5 urgent) and emoji tags per severity. */
export function ntfyLook(severity: AlertSeverity): { priority: number; tags: string[] } {
  switch (severity) {
    case 'critical':
      return { priority: 5, tags: ['rotating_light'] };
    case 'warning':
      return { priority: 4, tags: ['warning'] };
    case 'ok':
      return { priority: 3, tags: ['white_check_mark'] };
    case 'info':
      return { priority: 2, tags: ['information_source'] };
  }
}

/** Publishes the alert to an ntfy topic (JSON publishing, Markdown, click-through link). */
export const ntfyChannel: ChannelDefinition<NtfySettings> = {
  type: 'ntfy',
  title: 'ntfy',
  description: 'Publish the alert to an ntfy topic (ntfy.sh or your own server)',
  category: 'push',
  docsUrl: 'https://docs.ntfy.sh/publish/#publish-as-json',
  settingsSchema: ntfySettingsSchema,
  secrets: { topic: 'secret', token: 'secret', password: 'secret' },
  send: sendNtfy,
};

async function sendNtfy(
  alert: OutgoingAlert,
  settings: NtfySettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    // JSON publishing goes to the server's root URL and names the topic in the body.
    url: settings.url,
    ...(settings.token === undefined
      ? {}
      : { headers: { authorization: `Bearer ${settings.token}` } }),
    ...(settings.username === undefined || settings.password === undefined
      ? {}
      : { basicAuth: { username: settings.username, password: settings.password } }),
    json: ntfyMessage(alert.message, settings.topic),
  });
  return receiptOf(answer, ctx.secrets, answerSchema.safeParse(answer.json()).data?.id);
}

/** The JSON publish body; the message is kept within the server's byte limit. */
export function ntfyMessage(message: AlertMessage, topic: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    topic,
    title: message.title,
    message: fitBytes(
      (limit) => formatBody(message, { flavour: 'markdown', limit }),
      NTFY_MESSAGE_BYTES,
    ),
    markdown: true,
    ...ntfyLook(message.severity),
  };
  if (message.url !== null) body['click'] = message.url;
  return body;
}

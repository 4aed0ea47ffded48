import { z } from 'zod';
import { receiptOf, refusalOf } from '../../kit/answers.ts';
import { formatText } from '../../kit/formats.ts';
import { httpUrl, joinUrl } from '../../kit/settings.ts';
import { ChannelError } from '../../types.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/**
 * Signal has no hard limit the REST API documents; longer texts travel as a long-text
 * attachment. Kept to what a phone screen shows in a few swipes.
 */
const MESSAGE_LIMIT = 4096;

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be a phone number like +4912345678' });

export const signalSettingsSchema = z.strictObject({
  url: httpUrl('signal-cli REST API URL').describe(
    'Address of your signal-cli REST API (bbernhard/signal-cli-rest-api), e.g. http://signal:8080',
  ),
  number: e164.describe('The registered Signal number that sends, e.g. +4912345678'),
  recipients: z
    .array(
      z.string().regex(/^(\+[1-9]\d{6,14}|group\.[A-Za-z0-9+/=]+|[A-Za-z0-9._-]+\.\d{2,})$/, {
        error: 'must be a phone number, a group id (group.…) or a username (name.01)',
      }),
    )
    .min(1, { error: 'must name at least one recipient' })
    .max(100)
    .describe('Phone numbers, group ids (group.… from GET /v1/groups) or usernames to send to'),
  username: z.string().min(1).optional().describe('Basic auth user, when a proxy protects the API'),
  password: z
    .string()
    .min(1)
    .optional()
    .describe('Basic auth password, when a proxy protects the API'),
});

export type SignalSettings = z.infer<typeof signalSettingsSchema>;

const errorSchema = z.object({ error: z.string() });

/** Sends the alert as a Signal message through the signal-cli REST API (POST /v2/send). */
export const signalChannel: ChannelDefinition<SignalSettings> = {
  type: 'signal',
  title: 'Signal',
  description: 'Send the alert as a Signal message through a signal-cli REST API you run',
  category: 'chat',
  docsUrl: 'https://bbernhard.github.io/signal-cli-rest-api/#/Messages/post_v2_send',
  settingsSchema: signalSettingsSchema,
  secrets: { password: 'secret' },
  send: sendSignal,
};

async function sendSignal(
  alert: OutgoingAlert,
  settings: SignalSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.url, 'v2/send'),
    json: {
      message: formatText(alert.message, { flavour: 'plain', limit: MESSAGE_LIMIT }),
      number: settings.number,
      recipients: settings.recipients,
    },
    ...(settings.username === undefined || settings.password === undefined
      ? {}
      : { basicAuth: { username: settings.username, password: settings.password } }),
    // signal-cli reports Signal's own rate limit as a 400; read it to retry that one.
    accept: (status) => status === 400,
  });
  if (answer.status === 400) throw signalRefusal(answer, ctx);
  return receiptOf(answer, ctx.secrets);
}

function signalRefusal(answer: Parameters<typeof refusalOf>[0], ctx: ChannelContext): ChannelError {
  const error = refusalOf(answer, signalChannel.title, ctx);
  const parsed = errorSchema.safeParse(answer.json());
  if (!parsed.success || !/rate ?limit/i.test(parsed.data.error)) return error;
  return new ChannelError(error.message, { retryable: true, status: 400 });
}

import { receiptOf } from '../../kit/answers.ts';
import { severityColorNumber } from '../../kit/colors.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { discordSettingsSchema, type DiscordSettings } from './settings.ts';

export type { DiscordSettings } from './settings.ts';

// Discord's documented embed limits (discord.com/developers/docs/resources/message#embed-
// object-embed-limits): title 256, description 4096, footer 2048, all of them 6000 together.
const TITLE_LIMIT = 256;
const DESCRIPTION_LIMIT = 4096;

/** Executes a Discord webhook with one embed; `?wait=true` returns the message and its id. */
export const discordChannel: ChannelDefinition<DiscordSettings> = {
  type: 'discord',
  title: 'Discord',
  description: 'Post an embed to a Discord channel through a channel webhook',
  category: 'chat',
  docsUrl: 'https://discord.com/developers/docs/resources/webhook#execute-webhook',
  settingsSchema: discordSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendDiscord,
};

async function sendDiscord(
  alert: OutgoingAlert,
  settings: DiscordSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: withWait(settings.webhookUrl),
    json: discordBody(alert, settings),
  });
  return receiptOf(answer, ctx.secrets, messageId(answer.json()));
}

/** `wait=true` makes Discord confirm the message and return it; other query values are kept. */
function withWait(webhookUrl: string): string {
  const url = new URL(webhookUrl);
  url.searchParams.set('wait', 'true');
  return url.toString();
}

function discordBody(alert: OutgoingAlert, settings: DiscordSettings): Record<string, unknown> {
  const { message } = alert;
  return {
    ...(settings.username === undefined ? {} : { username: settings.username }),
    ...(settings.avatarUrl === undefined ? {} : { avatar_url: settings.avatarUrl }),
    ...(settings.mention === undefined ? {} : { content: settings.mention }),
    embeds: [
      {
        title: truncate(message.title, TITLE_LIMIT),
        description: formatBody(message, { flavour: 'markdown', limit: DESCRIPTION_LIMIT }),
        color: severityColorNumber(message.severity),
        ...(message.url === null ? {} : { url: message.url }),
        timestamp: new Date(alert.event.occurredAt).toISOString(),
        footer: { text: `Crosscheck · ${alert.event.kind}` },
      },
    ],
    // Alert text quotes monitor names and errors: only the configured mention may ping anyone.
    allowed_mentions: {
      parse: settings.mention === undefined ? [] : mentionKinds(settings.mention),
    },
  };
}

function mentionKinds(mention: string): string[] {
  const kinds = new Set<string>();
  if (mention.includes('<@&')) kinds.add('roles');
  if (/<@\d/.test(mention)) kinds.add('users');
  if (mention.includes('@here') || mention.includes('@everyone')) kinds.add('everyone');
  return [...kinds];
}

function messageId(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const id = (body as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : undefined;
}

import { isMonitorAlert } from '../../../domain/alert.ts';
import { receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatText, truncate } from '../../kit/formats.ts';
import { joinUrl } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { zulipSettingsSchema, type ZulipSettings } from './settings.ts';

export type { ZulipSettings } from './settings.ts';

// Zulip's documented limits: message content 10,000 bytes, topic names 60 characters.
const CONTENT_BYTES = 10_000;
const TOPIC_LIMIT = 60;

/** Sends a channel (stream) message with a bot's email and API key. */
export const zulipChannel: ChannelDefinition<ZulipSettings> = {
  type: 'zulip',
  title: 'Zulip',
  description: 'Post to a Zulip channel (stream) topic as a bot, one topic per monitor',
  category: 'chat',
  docsUrl: 'https://zulip.com/api/send-message',
  settingsSchema: zulipSettingsSchema,
  secrets: { apiKey: 'secret' },
  send: sendZulip,
};

async function sendZulip(
  alert: OutgoingAlert,
  settings: ZulipSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.serverUrl, '/api/v1/messages'),
    basicAuth: { username: settings.botEmail, password: settings.apiKey },
    form: {
      type: 'stream',
      to: settings.stream,
      topic: topicOf(alert, settings),
      content: fitBytes(
        (limit) => formatText(alert.message, { flavour: 'markdown', limit }),
        CONTENT_BYTES,
      ),
    },
  });
  return receiptOf(answer, ctx.secrets, messageId(answer.json()));
}

/**
 * The configured topic, or one per monitor (per node for node alerts), so an outage and its
 * recovery read as one conversation.
 */
export function topicOf(alert: OutgoingAlert, settings: ZulipSettings): string {
  if (settings.topic !== undefined) return settings.topic;
  const subject = isMonitorAlert(alert.event)
    ? alert.event.monitor.name
    : `node ${alert.event.node.name}`;
  return truncate(subject, TOPIC_LIMIT);
}

function messageId(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const id = (body as Record<string, unknown>)['id'];
  return typeof id === 'number' ? String(id) : undefined;
}

import { z } from 'zod';
import { receiptOf } from '../../kit/answers.ts';
import { fitBytes } from '../../kit/byte-limits.ts';
import { formatBody, truncate } from '../../kit/formats.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { httpUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

export const teamsSettingsSchema = z.strictObject({
  webhookUrl: httpUrl('Workflows webhook URL').describe(
    'URL of a Teams Workflows "When a Teams webhook request is received" trigger; it is a credential',
  ),
  timeoutMs: timeoutSetting.describe(
    'Time limit for one request to the workflow, in milliseconds (default: the dispatcher’s)',
  ),
});

export type TeamsSettings = z.infer<typeof teamsSettingsSchema>;

/**
 * Teams caps a message at 28 KB; the card's frame (title, schema, action) takes well under 4 KB,
 * so the body text gets the rest.
 */
const BODY_BYTES = 24 * 1024;
const TITLE_LIMIT = 200;

/** Adaptive Card text colours by severity. */
const COLORS: Record<AlertSeverity, string> = {
  critical: 'Attention',
  warning: 'Warning',
  info: 'Accent',
  ok: 'Good',
};

/** Posts an Adaptive Card to a Teams channel through a Power Automate Workflows webhook. */
export const teamsChannel: ChannelDefinition<TeamsSettings> = {
  type: 'teams',
  title: 'Microsoft Teams',
  description: 'Post an Adaptive Card to a Teams channel or chat through a Workflows webhook',
  category: 'chat',
  docsUrl:
    'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook',
  settingsSchema: teamsSettingsSchema,
  secrets: { webhookUrl: 'secret-url' },
  send: sendTeams,
};

async function sendTeams(
  alert: OutgoingAlert,
  settings: TeamsSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({ url: settings.webhookUrl, json: teamsMessage(alert) });
  return receiptOf(answer, ctx.secrets);
}

/** The Workflows envelope: a `message` whose first attachment is the Adaptive Card. */
export function teamsMessage(alert: OutgoingAlert): Record<string, unknown> {
  const { message } = alert;
  const body = fitBytes((limit) => formatBody(message, { flavour: 'markdown', limit }), BODY_BYTES);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            {
              type: 'TextBlock',
              text: truncate(message.title, TITLE_LIMIT),
              size: 'Medium',
              weight: 'Bolder',
              color: COLORS[message.severity],
              wrap: true,
            },
            { type: 'TextBlock', text: body, wrap: true },
          ],
          ...(message.url === null
            ? {}
            : { actions: [{ type: 'Action.OpenUrl', title: 'Open incident', url: message.url }] }),
        },
      },
    ],
  };
}

import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { affectedSystem, factRecord, keyWithin, SENDER_NAME } from '../../kit/incident-fields.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** Opsgenie's documented field limits (Alert API, Create Alert and Close Alert). */
const MESSAGE_LIMIT = 130;
const ALIAS_LIMIT = 512;
const DESCRIPTION_LIMIT = 15_000;
const ENTITY_LIMIT = 512;
const NOTE_LIMIT = 25_000;
/** `details` may hold 8,000 characters in total; each value is kept well under that. */
const DETAIL_VALUE_LIMIT = 1_000;

const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
type Priority = (typeof PRIORITIES)[number];

export const opsgenieSettingsSchema = z.strictObject({
  apiKey: secretText().describe('API key of an API integration in Opsgenie (sent as GenieKey)'),
  apiUrl: apiBaseUrl('https://api.opsgenie.com').describe(
    'Alert API address; https://api.eu.opsgenie.com for accounts in the EU instance',
  ),
  priority: z
    .enum(PRIORITIES)
    .optional()
    .describe('Priority of every alert; by default P1 for down, P3 for partial trouble'),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type OpsgenieSettings = z.infer<typeof opsgenieSettingsSchema>;

/** Creates an Opsgenie alert on down and closes it by its alias on recovery. */
export const opsgenieChannel: ChannelDefinition<OpsgenieSettings> = {
  type: 'opsgenie',
  title: 'Opsgenie',
  description: 'Create and close Opsgenie alerts by alias through the Alert API',
  category: 'incident',
  docsUrl: 'https://docs.opsgenie.com/docs/alert-api',
  settingsSchema: opsgenieSettingsSchema,
  secrets: { apiKey: 'secret' },
  send: sendOpsgenie,
  retry: { maxAttempts: 20 },
};

async function sendOpsgenie(
  alert: OutgoingAlert,
  settings: OpsgenieSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const alias = keyWithin(alert.dedupKey, ALIAS_LIMIT);
  const headers = { Authorization: `GenieKey ${settings.apiKey}` };
  const answer =
    alert.status === 'firing'
      ? await ctx.http.send({
          url: joinUrl(settings.apiUrl, '/v2/alerts'),
          headers,
          json: createAlertBody(alert, alias, settings.priority),
        })
      : await ctx.http.send({
          url: joinUrl(
            settings.apiUrl,
            `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`,
          ),
          headers,
          json: closeAlertBody(alert),
        });
  return receiptOf(answer, ctx.secrets);
}

/** Create Alert: the alias is the dedup key, so a repeat only counts up and close finds it. */
export function createAlertBody(
  alert: OutgoingAlert,
  alias: string,
  priority: Priority | undefined,
): Record<string, unknown> {
  const { message } = alert;
  const details = Object.fromEntries(
    Object.entries(factRecord(message)).map(([k, v]) => [k, truncate(v, DETAIL_VALUE_LIMIT)]),
  );
  return {
    message: truncate(message.title, MESSAGE_LIMIT),
    alias,
    description: formatBody(message, { flavour: 'plain', limit: DESCRIPTION_LIMIT }),
    entity: truncate(affectedSystem(alert), ENTITY_LIMIT),
    source: SENDER_NAME,
    priority: priority ?? opsgeniePriority(message.severity),
    tags: ['crosscheck', alert.event.kind],
    details,
  };
}

function closeAlertBody(alert: OutgoingAlert): Record<string, unknown> {
  const { title, text } = alert.message;
  return { source: SENDER_NAME, note: truncate(`${title}: ${text}`, NOTE_LIMIT) };
}

/** Down pages at P1; partial trouble at Opsgenie's default P3; the rest is informational. */
function opsgeniePriority(severity: AlertSeverity): Priority {
  if (severity === 'critical') return 'P1';
  if (severity === 'warning') return 'P3';
  return 'P5';
}

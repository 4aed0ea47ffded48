import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import { keyWithin, SENDER_NAME, startedAt } from '../../kit/incident-fields.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import {
  ChannelError,
  type ChannelContext,
  type ChannelDefinition,
  type OutgoingAlert,
  type SendReceipt,
} from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** The REST endpoint's integration version in its URL, fixed by Splunk On-Call. */
const INTEGRATION_PATH = '/integrations/generic/20131114/alert';
/** entity_id keys the incident; keep it short enough for any display. */
const ENTITY_ID_LIMIT = 255;
const DISPLAY_NAME_LIMIT = 255;
const STATE_MESSAGE_LIMIT = 10_000;

export const splunkOncallSettingsSchema = z.strictObject({
  apiKey: secretText().describe(
    'API key of the REST endpoint integration (the part of its URL after /alert/)',
  ),
  routingKey: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { error: 'must be a routing key (letters, digits, _ . -)' })
    .describe('Routing key that picks the escalation policy (Settings → Routing Keys)'),
  apiUrl: apiBaseUrl('https://alert.victorops.com').describe('REST endpoint address'),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type SplunkOncallSettings = z.infer<typeof splunkOncallSettingsSchema>;

/** Opens a Splunk On-Call incident on down and recovers it, by entity_id, on recovery. */
export const splunkOncallChannel: ChannelDefinition<SplunkOncallSettings> = {
  type: 'splunk_oncall',
  title: 'Splunk On-Call',
  description: 'Open and recover Splunk On-Call (VictorOps) incidents through the REST endpoint',
  category: 'incident',
  docsUrl:
    'https://docs.splunk.com/observability/en/sp-oncall/spoc-integrations/rest-endpoint-integration-guide.html',
  settingsSchema: splunkOncallSettingsSchema,
  secrets: { apiKey: 'secret' },
  send: sendSplunkOncall,
  retry: { maxAttempts: 20 },
};

async function sendSplunkOncall(
  alert: OutgoingAlert,
  settings: SplunkOncallSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const path = `${INTEGRATION_PATH}/${encodeURIComponent(settings.apiKey)}/${encodeURIComponent(settings.routingKey)}`;
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, path),
    json: splunkOncallBody(alert),
  });
  // The endpoint documents `{"result":"failure","message":…}` for events it refuses.
  const result = answer.json() as { result?: unknown; message?: unknown } | undefined;
  if (result?.result === 'failure') {
    throw new ChannelError(`Splunk On-Call refused the alert: ${String(result.message)}`, {
      retryable: false,
      status: answer.status,
    });
  }
  return receiptOf(answer, ctx.secrets);
}

/** One REST endpoint event: the message type says open or recover, entity_id which incident. */
export function splunkOncallBody(alert: OutgoingAlert): Record<string, unknown> {
  const { message } = alert;
  return {
    message_type: messageType(alert.status, message.severity),
    entity_id: keyWithin(alert.dedupKey, ENTITY_ID_LIMIT),
    entity_display_name: truncate(message.title, DISPLAY_NAME_LIMIT),
    state_message: formatBody(message, { flavour: 'plain', limit: STATE_MESSAGE_LIMIT }),
    state_start_time: Math.floor(Date.parse(startedAt(alert)) / 1000),
    monitoring_tool: SENDER_NAME,
    ...(message.url === null ? {} : { alert_url: message.url }),
  };
}

/** CRITICAL opens an incident, WARNING may, INFO never does; RECOVERY resolves it. */
function messageType(
  status: OutgoingAlert['status'],
  severity: AlertSeverity,
): 'CRITICAL' | 'WARNING' | 'INFO' | 'RECOVERY' {
  if (status === 'resolved') return 'RECOVERY';
  if (severity === 'critical') return 'CRITICAL';
  return severity === 'warning' ? 'WARNING' : 'INFO';
}

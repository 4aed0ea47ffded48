import { z } from 'zod';
import { formatBody, truncate } from '../../kit/formats.ts';
import {
  affectedSystem,
  factRecord,
  keyWithin,
  SENDER_NAME,
  startedAt,
} from '../../kit/incident-fields.ts';
import type { AlertSeverity } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { receiptOf } from '../../kit/answers.ts';

/** PagerDuty's documented limits (Events API v2). */
const SUMMARY_LIMIT = 1024;
const DEDUP_KEY_LIMIT = 255;
/** Room for the readable details; the whole event may be up to 512 KB. */
const DETAILS_LIMIT = 16_000;

export const pagerdutySettingsSchema = z.strictObject({
  routingKey: z
    .string()
    .regex(/^[A-Za-z0-9]{32}$/, {
      error: 'must be the 32-character integration key of an Events API v2 integration',
    })
    .describe(
      'Integration key (routing key) of the Events API v2 integration on the PagerDuty service',
    ),
  apiUrl: apiBaseUrl('https://events.pagerduty.com').describe(
    'Events API address; https://events.eu.pagerduty.com for EU service regions',
  ),
  timeoutMs: timeoutSetting.describe('Time limit for one request, in milliseconds'),
});

export type PagerdutySettings = z.infer<typeof pagerdutySettingsSchema>;

/** Triggers a PagerDuty alert on down and resolves it, by the incident's dedup key, on recovery. */
export const pagerdutyChannel: ChannelDefinition<PagerdutySettings> = {
  type: 'pagerduty',
  title: 'PagerDuty',
  description: 'Trigger and resolve PagerDuty alerts through the Events API v2',
  category: 'incident',
  docsUrl: 'https://developer.pagerduty.com/docs/send-alert-event',
  settingsSchema: pagerdutySettingsSchema,
  secrets: { routingKey: 'secret' },
  send: sendPagerduty,
  // A pager must not give up on a short PagerDuty outage.
  retry: { maxAttempts: 20 },
};

async function sendPagerduty(
  alert: OutgoingAlert,
  settings: PagerdutySettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, '/v2/enqueue'),
    json: pagerdutyEvent(alert, settings.routingKey),
  });
  return receiptOf(answer, ctx.secrets);
}

/** The Events API v2 body: a trigger with its payload, or a resolve naming the same dedup key. */
export function pagerdutyEvent(alert: OutgoingAlert, routingKey: string): Record<string, unknown> {
  const dedupKey = keyWithin(alert.dedupKey, DEDUP_KEY_LIMIT);
  if (alert.status === 'resolved') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  const { message } = alert;
  const links = message.url === null ? [] : [{ href: message.url, text: 'Open in Crosscheck' }];
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    client: SENDER_NAME,
    ...(message.url === null ? {} : { client_url: message.url }),
    links,
    payload: {
      summary: truncate(`${message.title} — ${message.text}`, SUMMARY_LIMIT),
      source: affectedSystem(alert),
      severity: pagerdutySeverity(message.severity),
      timestamp: startedAt(alert),
      class: alert.event.kind,
      custom_details: {
        ...factRecord(message),
        details: formatBody(message, { flavour: 'plain', limit: DETAILS_LIMIT }),
      },
    },
  };
}

/** PagerDuty knows critical, error, warning and info; an `ok` alert is never a trigger. */
function pagerdutySeverity(severity: AlertSeverity): 'critical' | 'warning' | 'info' {
  return severity === 'ok' ? 'info' : severity;
}

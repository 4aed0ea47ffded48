import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';
import { webhookSettingsSchema, type WebhookSettings } from './settings.ts';
import { signWebhookBody } from './signature.ts';

export type { WebhookSettings } from './settings.ts';

/** POSTs the alert event as JSON, signed with HMAC-SHA256 when a secret is set. */
export const webhookChannel: ChannelDefinition<WebhookSettings> = {
  type: 'webhook',
  title: 'Webhook',
  description: 'POST the alert as signed JSON to an HTTP(S) endpoint you run',
  category: 'webhook',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc2104',
  settingsSchema: webhookSettingsSchema,
  secrets: { secret: 'secret', headers: 'secret-values' },
  send: sendWebhook,
};

async function sendWebhook(
  alert: OutgoingAlert,
  settings: WebhookSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const body = JSON.stringify(alert.event);
  // Wall-clock time on purpose: receivers compare the timestamp with their own clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const answer = await ctx.http.send({
    url: settings.url,
    headers: requestHeaders(settings, alert, body, timestamp),
    body,
  });
  return { status: answer.status, answer: answer.text.slice(0, 200) };
}

/**
 * The receiver dedupes on `X-Crosscheck-Idempotency-Key`: delivery is at-least-once, so after a
 * crash between "receiver answered" and "marked sent" the same event arrives again with the
 * same key.
 */
function requestHeaders(
  settings: WebhookSettings,
  alert: OutgoingAlert,
  body: string,
  timestamp: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...settings.headers,
    'Content-Type': 'application/json',
    'X-Crosscheck-Event': alert.event.kind,
    'X-Crosscheck-Idempotency-Key': alert.event.idempotencyKey,
    'X-Crosscheck-Timestamp': String(timestamp),
  };
  if (settings.secret !== undefined) {
    headers['X-Crosscheck-Signature'] = signWebhookBody(settings.secret, timestamp, body);
  }
  return headers;
}

import packageJson from '../../../../package.json' with { type: 'json' };
import type { AlertEvent } from '../../../domain/alert.ts';
import type { AlertChannelDefinition, ChannelSendContext } from '../../types.ts';
import { acceptResponse, requestFailure } from './response.ts';
import { redactWebhookSettings, webhookSettingsSchema, type WebhookSettings } from './settings.ts';
import { signWebhookBody } from './signature.ts';

export type { WebhookSettings } from './settings.ts';

const USER_AGENT = `crosscheck/${packageJson.version}`;

/** POSTs the alert event as JSON, signed with HMAC-SHA256 when a secret is set. */
export const webhookChannel: AlertChannelDefinition<WebhookSettings> = {
  name: 'webhook',
  description: 'POST the alert as signed JSON to an HTTP(S) endpoint',
  settingsSchema: webhookSettingsSchema,
  send: sendWebhook,
  redact: redactWebhookSettings,
};

async function sendWebhook(
  settings: WebhookSettings,
  event: AlertEvent,
  ctx: ChannelSendContext,
): Promise<void> {
  const body = JSON.stringify(event);
  // Wall-clock time on purpose: receivers compare the timestamp with their own clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const timeoutMs = settings.timeoutMs ?? ctx.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: requestHeaders(settings, event, body, timestamp),
      body,
      redirect: 'manual',
      signal,
    });
    await acceptResponse(response);
  } catch (error) {
    throw requestFailure(error, { stop: ctx.signal, timeout, timeoutMs });
  }
}

/**
 * The receiver dedupes on `X-Crosscheck-Idempotency-Key`: delivery is at-least-once, so after a
 * crash between "receiver answered" and "marked sent" the same event arrives again with the
 * same key.
 */
function requestHeaders(
  settings: WebhookSettings,
  event: AlertEvent,
  body: string,
  timestamp: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...settings.headers,
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
    'X-Crosscheck-Event': event.kind,
    'X-Crosscheck-Idempotency-Key': event.idempotencyKey,
    'X-Crosscheck-Timestamp': String(timestamp),
  };
  if (settings.secret !== undefined) {
    headers['X-Crosscheck-Signature'] = signWebhookBody(settings.secret, timestamp, body);
  }
  return headers;
}

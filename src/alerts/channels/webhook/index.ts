import { compileTemplateSource, renderTemplate, TEMPLATE_LIMITS } from '../../kit/template.ts';
import {
  ChannelError,
  type ChannelContext,
  type ChannelDefinition,
  type OutgoingAlert,
  type SendReceipt,
} from '../../types.ts';
import { webhookSettingsSchema, type WebhookSettings } from './settings.ts';
import { signWebhookBody } from './signature.ts';
import { receiptOf } from '../../kit/answers.ts';

export type { WebhookSettings } from './settings.ts';

/**
 * POSTs the alert event as JSON (or the target's rendered body template), signed with
 * HMAC-SHA256 when a secret is set.
 */
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
  const body = await requestBody(alert, settings);
  // Wall-clock time on purpose: receivers compare the timestamp with their own clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const answer = await ctx.http.send({
    url: settings.url,
    headers: requestHeaders(settings, alert, body, timestamp),
    body,
  });
  return receiptOf(answer, ctx.secrets);
}

/**
 * The event JSON, or the rendered body template. A template that cannot render (a limit hit)
 * or renders broken JSON for a JSON content type fails the delivery for good: the receiver
 * expects the template's shape, so falling back to the event JSON would only be rejected there.
 */
async function requestBody(alert: OutgoingAlert, settings: WebhookSettings): Promise<string> {
  if (settings.bodyTemplate === undefined) return JSON.stringify(alert.event);
  const compiled = compileTemplateSource(settings.bodyTemplate, TEMPLATE_LIMITS.bodyChars);
  if (compiled.problem !== undefined) {
    throw new ChannelError(`body template is invalid: ${compiled.problem}`, { retryable: false });
  }
  const rendered = await renderTemplate(compiled.templates, alert);
  if (!rendered.ok) {
    throw new ChannelError(`body template failed: ${rendered.reason}`, { retryable: false });
  }
  if (isJsonType(contentType(settings)) && !isJson(rendered.text)) {
    throw new ChannelError('body template did not render valid JSON', { retryable: false });
  }
  return rendered.text;
}

function contentType(settings: WebhookSettings): string {
  return settings.contentType ?? 'application/json';
}

function isJsonType(type: string): boolean {
  return /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
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
    'Content-Type': contentType(settings),
    'X-Crosscheck-Event': alert.event.kind,
    'X-Crosscheck-Idempotency-Key': alert.event.idempotencyKey,
    'X-Crosscheck-Timestamp': String(timestamp),
  };
  if (settings.secret !== undefined) {
    headers['X-Crosscheck-Signature'] = signWebhookBody(settings.secret, timestamp, body);
  }
  return headers;
}

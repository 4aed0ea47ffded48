import { createHmac } from 'node:crypto';

/**
 * Signature scheme (documented for receivers in docs/alerts/webhook.md):
 *
 *   X-Crosscheck-Timestamp: <unix seconds>
 *   X-Crosscheck-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * Signing the timestamp together with the body lets a receiver reject replays of an old
 * request (compare the timestamp with its own clock) as well as forgeries.
 */
export function signWebhookBody(secret: string, timestamp: number, rawBody: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return `sha256=${digest}`;
}

import { createHmac } from 'node:crypto';

/**
 * A DingTalk robot signature: base64(HMAC-SHA256 keyed with the secret over
 * `<timestamp>\n<secret>`). `timestamp` is Unix milliseconds; DingTalk rejects ones over an
 * hour off. The caller URL-encodes it (URLSearchParams does).
 */
export function dingtalkSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

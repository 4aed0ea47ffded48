import { createHmac } from 'node:crypto';

/**
 * A Lark/Feishu custom bot signature: HMAC-SHA256 keyed with `<timestamp>\n<secret>` over an
 * empty message, base64. `timestamp` is Unix seconds; Lark rejects ones over an hour off.
 */
export function larkSignature(secret: string, timestamp: number): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

import { decodeEscapes } from '../tcp/escapes.ts';

/** Largest payload a check sends: one datagram that fits an Ethernet frame without fragments. */
export const MAX_PAYLOAD_BYTES = 1400;

/**
 * Reads hex text such as `0a1bff`, `0a 1b ff` or `0a:1b:ff` (spaces and colons separate bytes
 * for readability); returns the reason when it is not whole bytes of hex.
 */
export function parseHex(text: string): Buffer | { error: string } {
  const digits = text.replace(/[\s:]/g, '');
  if (digits === '') return { error: 'must not be empty' };
  if (!/^[0-9a-f]*$/i.test(digits)) return { error: 'must be hex digits (0-9, a-f)' };
  if (digits.length % 2 !== 0)
    return { error: 'must be whole bytes (an even number of hex digits)' };
  return Buffer.from(digits, 'hex');
}

/** The datagram to send: `sendHex` as bytes, or `send` text with its escapes decoded (UTF-8). */
export function payloadBytes(options: {
  send?: string | undefined;
  sendHex?: string | undefined;
}): Buffer {
  if (options.sendHex !== undefined) {
    const bytes = parseHex(options.sendHex);
    // The options schema validated it; a failure here is a bug, not a down target.
    if ('error' in bytes) throw new Error(`sendHex was not validated: ${bytes.error}`);
    return bytes;
  }
  return Buffer.from(decodeEscapes(options.send ?? ''), 'utf8');
}

import { z } from 'zod';
import { expectedPatternSchema } from '../expect-pattern.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { MAX_PAYLOAD_BYTES, parseHex, payloadBytes } from './payload.ts';

/** One reply pattern (text or /regex/). */
const expectSchema = expectedPatternSchema({ tooMany: 'udp accepts exactly one expected reply' });

const hexSchema = z.string().superRefine((text, ctx) => {
  const bytes = parseHex(text);
  if ('error' in bytes) ctx.addIssue({ code: 'custom', message: bytes.error });
});

/**
 * Options of the `udp` check type (stored JSON shape). A payload is required: UDP has no
 * connection, so a silent service and a dead one look the same, and only a reply says "up".
 */
export const udpOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      /** Text datagram; `\n`, `\r\n`, `\xHH` escapes are decoded at run time. */
      send: z.string().min(1, 'must not be empty').optional(),
      /** Binary datagram as hex (`0a1bff`, `0a 1b ff`). */
      sendHex: hexSchema.optional(),
      /** Substring or `/regex/flags` the reply must contain; any reply is up without it. */
      expect: expectSchema.optional(),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.send !== undefined && options.sendHex !== undefined) {
        const message = 'give send or sendHex, not both';
        ctx.addIssue({ code: 'custom', path: ['sendHex'], message });
        return;
      }
      if (options.send === undefined && options.sendHex === undefined) {
        const message =
          'a payload is required (send or sendHex): without one no UDP service replies, and no reply cannot be told from down';
        ctx.addIssue({ code: 'custom', path: ['send'], message });
        return;
      }
      // The hex field reports its own problems; only a readable payload has a size.
      if (options.sendHex !== undefined && 'error' in parseHex(options.sendHex)) return;
      if (payloadBytes(options).length > MAX_PAYLOAD_BYTES) {
        const key = options.send === undefined ? 'sendHex' : 'send';
        const message = `must be at most ${MAX_PAYLOAD_BYTES} bytes (one datagram)`;
        ctx.addIssue({ code: 'custom', path: [key], message });
      }
    }),
);

export type UdpOptions = z.output<typeof udpOptionsSchema>;

/** `--send` and `--expect` are the tcp type's flags (same key and kind), described for UDP. */
export const udpFlags: readonly CheckFlag[] = [
  {
    flags: '--send <text>',
    key: 'send',
    description:
      'text datagram to send (\\r\\n, \\xHH escapes understood); this or --send-hex is required',
    kind: 'string',
  },
  {
    flags: '--send-hex <hex>',
    key: 'sendHex',
    description: 'binary datagram to send, as hex (e.g. "0a 1b ff")',
    kind: 'string',
  },
  {
    flags: '--expect <value>',
    key: 'expect',
    description: 'text or /regex/ the reply must contain (any reply is up without it)',
    kind: 'list',
  },
  degradedAfterFlag,
];

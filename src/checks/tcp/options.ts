import { z } from 'zod';
import { expectedPatternSchema } from '../expect-pattern.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';

/** Longest `send` payload; a check is a probe, not a file transfer. */
export const MAX_SEND_LENGTH = 4096;

/** One banner pattern (text or /regex/). */
const expectSchema = expectedPatternSchema({ tooMany: 'tcp accepts exactly one expected banner' });

/** Options of the `tcp` check type (stored JSON shape). */
export const tcpOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z.strictObject({
    /** Written after connecting; `\n`, `\r\n`, `\xHH` escapes are decoded at run time. */
    send: z.string().min(1, 'must not be empty').max(MAX_SEND_LENGTH).optional(),
    /** Substring or `/regex/flags` the server must send within the timeout. */
    expect: expectSchema.optional(),
    degradedThresholdMs: durationMsSchema.optional(),
  }),
);

export type TcpOptions = z.output<typeof tcpOptionsSchema>;

export const tcpFlags: readonly CheckFlag[] = [
  {
    flags: '--send <text>',
    key: 'send',
    // The CLI shows the first type's description of a shared flag, so this one names all three.
    description:
      'text to send: tcp after connecting, udp as the datagram (\\r\\n, \\xHH escapes understood); websocket as one message, mqtt as the payload published to --topic, as typed',
    kind: 'string',
  },
  expectFlag,
  degradedAfterFlag,
];

import { z } from 'zod';
import { expectedPatternSchema } from '../expect-pattern.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { headersSchema as httpHeadersSchema } from '../http/options.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import { caFlag, caPemSchema, insecureFlag } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';

/** Longest message a check sends; a check is a probe, not a transfer. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Headers the WebSocket handshake sets itself; a user's value would break the upgrade. */
const HANDSHAKE_HEADERS = new Set([
  'upgrade',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

/** The http type's headers, less the ones the handshake sets itself. */
const headersSchema = httpHeadersSchema.superRefine((headers, ctx) => {
  const reserved = Object.keys(headers).find((name) => HANDSHAKE_HEADERS.has(name.toLowerCase()));
  if (reserved === undefined) return;
  const hint = reserved.toLowerCase() === 'sec-websocket-protocol' ? ' (use subprotocol)' : '';
  ctx.addIssue({
    code: 'custom',
    message: `header "${reserved}" is part of the WebSocket handshake and cannot be set${hint}`,
  });
});

/** One message pattern (text or /regex/). */
const expectSchema = expectedPatternSchema({
  tooMany: 'websocket accepts exactly one expected message',
});

/** RFC 6455 subprotocol names are HTTP tokens. */
const subprotocolSchema = z
  .string()
  .regex(
    /^[!#$%&'*+.^_`|~0-9a-z-]+$/i,
    'must be one protocol name (an HTTP token, e.g. graphql-ws)',
  );

/** Options of the `websocket` check type (stored JSON shape). */
export const websocketOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z.strictObject({
    /** Sent on the upgrade request; values other than well-known ones are masked for display. */
    headers: headersSchema.default(() => ({})),
    subprotocol: subprotocolSchema.optional(),
    /** One text message sent once the connection is open (as typed: no escapes decoded). */
    send: z.string().min(1, 'must not be empty').max(MAX_MESSAGE_LENGTH).optional(),
    /** Substring or `/regex/flags` the first message received must contain. */
    expect: expectSchema.optional(),
    insecure: z.boolean().default(false),
    ca: caPemSchema.optional(),
    degradedThresholdMs: durationMsSchema.optional(),
  }),
);

export type WebsocketOptions = z.output<typeof websocketOptionsSchema>;

/** Shared flags (same string, key and kind as the http and tcp types), described for WebSocket. */
export const websocketFlags: readonly CheckFlag[] = [
  {
    flags: '--header <name: value>',
    key: 'headers',
    description: 'header on the upgrade request, repeatable: --header "Authorization: Bearer …"',
    kind: 'list',
  },
  {
    flags: '--subprotocol <name>',
    key: 'subprotocol',
    description: 'WebSocket subprotocol to ask for (Sec-WebSocket-Protocol), e.g. graphql-ws',
    kind: 'string',
  },
  {
    flags: '--send <text>',
    key: 'send',
    description: 'text message to send once connected (sent as typed)',
    kind: 'string',
  },
  {
    flags: '--expect <value>',
    key: 'expect',
    description: 'text or /regex/ the first message received must contain',
    kind: 'list',
  },
  { ...insecureFlag, description: 'accept untrusted certificates (skip TLS verification)' },
  caFlag,
  degradedAfterFlag,
];

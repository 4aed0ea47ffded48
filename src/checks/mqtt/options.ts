import { z } from 'zod';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { expectedPatternSchema } from '../expect-pattern.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import { caFlag, caPemSchema, insecureFlag } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';

/** Longest topic and payload a check uses: a probe, not a transfer. */
export const MAX_TOPIC_LENGTH = 1024;
export const MAX_PAYLOAD_LENGTH = 4096;

/** A topic filter: levels split by `/`, `+` a whole level, `#` only as the last level. */
export const topicSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_TOPIC_LENGTH)
  .superRefine((topic, ctx) => {
    const problem = topicProblem(topic);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Why a topic filter is not valid MQTT, or null (MQTT 3.1.1 §4.7). */
export function topicProblem(topic: string): string | null {
  if (topic.includes('\u0000')) return 'must not contain a NUL character';
  const levels = topic.split('/');
  for (const [index, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1))
      return '"#" must be a whole level, and the last one (e.g. sensors/#)';
    if (level.includes('+') && level !== '+')
      return '"+" must be a whole level (e.g. sensors/+/temp)';
  }
  return null;
}

/** Options of the `mqtt` check type (stored JSON shape). */
export const mqttOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      username: z.string().min(1).max(1024).optional().describe('user to connect as'),
      password: z.string().min(1).max(1024).optional().describe('password (secret)'),
      /** The client id is this prefix plus random hex, so two nodes never kick each other off. */
      clientIdPrefix: z
        .string()
        .regex(/^[0-9a-zA-Z_-]{1,16}$/, 'must be 1-16 letters, digits, "-" or "_"')
        .default('crosscheck-'),
      topic: topicSchema.optional().describe('subscribe and wait for a message here'),
      send: z
        .string()
        .min(1, 'must not be empty')
        .max(MAX_PAYLOAD_LENGTH)
        .optional()
        .describe('publish this to the topic once subscribed, and wait for it back'),
      expect: expectedPatternSchema({
        tooMany: 'mqtt accepts exactly one expected payload',
        maxLength: MAX_PAYLOAD_LENGTH,
      })
        .optional()
        .describe('text the payload must contain, or /regex/'),
      insecure: z.boolean().optional(),
      ca: caPemSchema.optional(),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.password !== undefined && options.username === undefined)
        ctx.addIssue({ code: 'custom', path: ['password'], message: 'needs a username' });
      for (const key of ['send', 'expect'] as const)
        if (options[key] !== undefined && options.topic === undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'needs a topic' });
      if (options.send !== undefined && /[+#]/.test(options.topic ?? ''))
        ctx.addIssue({
          code: 'custom',
          path: ['topic'],
          message: 'must have no wildcard (+ or #) to publish to it',
        });
    }),
);

export type MqttOptions = z.output<typeof mqttOptionsSchema>;

/** What `redactMqttOptions` masks (`CheckDefinition.secretOptions`). */
export const MQTT_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  password: 'shown as ***',
};

/** The options for display: the password becomes `***`. */
export function redactMqttOptions(options: MqttOptions): MqttOptions {
  return options.password === undefined ? options : { ...options, password: '***' };
}

export const mqttFlags: readonly CheckFlag[] = [
  usernameFlag,
  passwordFlag,
  {
    flags: '--client-id <prefix>',
    key: 'clientIdPrefix',
    description: 'mqtt: client id prefix, random hex is appended (default crosscheck-)',
    kind: 'string',
  },
  {
    flags: '--topic <topic>',
    key: 'topic',
    description: 'mqtt: subscribe to this topic and wait for a message (with --expect: a match)',
    kind: 'string',
  },
  {
    flags: '--send <text>',
    key: 'send',
    description:
      'text to send (udp datagram, websocket message, mqtt payload published to --topic)',
    kind: 'string',
  },
  expectFlag,
  insecureFlag,
  caFlag,
  degradedAfterFlag,
];

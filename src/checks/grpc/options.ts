import { z } from 'zod';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { headersSchema } from '../http/options.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import { caFlag, caPemSchema } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';
import { SERVING_STATUSES } from './health-proto.ts';

/**
 * How the channel is protected: `off` (plaintext h2c, the common case inside a cluster and the
 * default of grpc_health_probe and Uptime Kuma), `verify` (TLS with a certificate the node trusts,
 * plus `ca`, for the host name) or `skip-verify` (TLS, no certificate check).
 */
export const GRPC_TLS_MODES = ['off', 'verify', 'skip-verify'] as const;

/** gRPC metadata keys: lower-case letters, digits, `-`, `_`, `.` (binary `-bin` keys excluded). */
const METADATA_KEY = /^[0-9a-z_.-]+$/;

/** The http type's `Name: value` headers, as gRPC metadata (keys lower-cased, grpc-* reserved). */
const metadataSchema = headersSchema.transform((headers, ctx) => {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!METADATA_KEY.test(key) || key.endsWith('-bin') || key.startsWith('grpc-')) {
      ctx.addIssue({
        code: 'custom',
        message: `"${name}" is not usable as gRPC metadata (letters, digits, - _ . only; no -bin or grpc- keys)`,
      });
      return z.NEVER;
    }
    metadata[key] = value;
  }
  return metadata;
});

/** The expected serving status; the CLI's `--expect` is a list flag, so a one-element list. */
const expectSchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  if (Array.isArray(value) && value.length !== 1) {
    ctx.addIssue({ code: 'custom', message: 'grpc compares exactly one serving status' });
    return z.NEVER;
  }
  const text = (Array.isArray(value) ? (value[0] ?? '') : value).trim().toUpperCase();
  const status = SERVING_STATUSES.find((known) => known === text);
  if (status === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${SERVING_STATUSES.join(', ')}` });
    return z.NEVER;
  }
  return status;
});

/** Options of the `grpc` check type (stored JSON shape). */
export const grpcOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      /** The service asked about; empty asks about the server as a whole. */
      service: z.string().max(512).default('').describe('service name ("" = the whole server)'),
      tls: z.enum(GRPC_TLS_MODES).default('off').describe('off, verify or skip-verify'),
      ca: caPemSchema.optional().describe('PEM of an extra CA to trust (tls verify)'),
      /** Sent with the call; values are masked for display like http's header values. */
      headers: metadataSchema.default(() => ({})),
      expect: expectSchema.default('SERVING').describe('the serving status that is up'),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.ca !== undefined && options.tls !== 'verify')
        ctx.addIssue({ code: 'custom', path: ['ca'], message: 'is only used with tls verify' });
    }),
);

export type GrpcOptions = z.output<typeof grpcOptionsSchema>;

export const grpcFlags: readonly CheckFlag[] = [
  {
    flags: '--service <name>',
    key: 'service',
    description: 'grpc: service to ask grpc.health.v1.Health/Check about (default: the server)',
    kind: 'string',
  },
  {
    flags: '--grpc-tls <mode>',
    key: 'tls',
    description:
      'grpc: off (default, plaintext), verify (TLS, --ca for a private CA) or skip-verify',
    kind: 'string',
  },
  caFlag,
  {
    flags: '--header <name: value>',
    key: 'headers',
    description: 'request header, repeatable: --header "Authorization: Bearer …" (grpc: metadata)',
    kind: 'list',
  },
  expectFlag,
  degradedAfterFlag,
];

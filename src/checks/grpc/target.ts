import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort } from '../net-names.ts';
import type { HostPort } from '../tcp/target.ts';

const FORMAT_HINT = 'must be host:port, e.g. api.internal:50051 (gRPC has no default port)';

/** Parses `host:port` or `[v6]:port`; a `grpc://` prefix (Gatus's form) is accepted and dropped. */
export function parseGrpcTarget(text: string): HostPort | { error: string } {
  const trimmed = text.trim().replace(/^grpc:\/\//i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed))
    return { error: 'give host:port; TLS is the tls option (--grpc-tls), not a URL scheme' };
  const parts = splitHostPort(trimmed.replace(/\/$/, ''));
  if (!parts || parts.port === undefined) return { error: FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port };
}

/** Validates a grpc target and normalises it to `host:port`. */
export const grpcTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseGrpcTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatHostPort(parsed.host, parsed.port);
});

import { hostPortTargetSchema } from '../net-names.ts';
import type { HostPort } from '../tcp/target.ts';
import { parseTcpTarget, TCP_FORMAT_HINT } from '../tcp/target.ts';

const FORMAT_HINT = 'must be host:port, e.g. api.internal:50051 (gRPC has no default port)';

/** Parses `host:port` or `[v6]:port`; a `grpc://` prefix (Gatus's form) is accepted and dropped. */
export function parseGrpcTarget(text: string): HostPort | { error: string } {
  const trimmed = text.trim().replace(/^grpc:\/\//i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed))
    return { error: 'give host:port; TLS is the tls option (--grpc-tls), not a URL scheme' };
  const parsed = parseTcpTarget(trimmed.replace(/\/$/, ''));
  return 'error' in parsed && parsed.error === TCP_FORMAT_HINT ? { error: FORMAT_HINT } : parsed;
}

/** Validates a grpc target and normalises it to `host:port`. */
export const grpcTargetSchema = hostPortTargetSchema(parseGrpcTarget);

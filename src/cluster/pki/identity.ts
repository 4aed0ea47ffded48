import type { X509Certificate } from 'node:crypto';
import { AppError } from '../../lib/errors.ts';
import type { NodeRole } from '../../domain/node.ts';
import { CLUSTER_ORGANIZATION, NODE_ROLES } from './names.ts';

/** Who a peer is, as its (already verified) certificate says. */
export interface PeerIdentity {
  nodeId: string;
  role: NodeRole;
  serial: string;
  fingerprint: string;
  notAfter: number;
}

/** Reads identity fields from a verified peer certificate (node:crypto X509Certificate or tls getPeerX509Certificate()). Throws AppError('UNAUTHORIZED', ...) if fields are missing. */
export function peerIdentity(cert: X509Certificate): PeerIdentity {
  const subject = subjectFields(cert.subject);
  const nodeId = single(subject, 'CN');
  const organization = single(subject, 'O');
  const role = single(subject, 'OU');
  if (nodeId === undefined || nodeId === '') throw refused('it has no common name (node id)');
  if (organization !== CLUSTER_ORGANIZATION) {
    throw refused(`its organisation is not ${CLUSTER_ORGANIZATION}`);
  }
  if (!isNodeRole(role)) throw refused('its OU is not a node role (coordinator or agent)');
  return {
    nodeId,
    role,
    serial: cert.serialNumber.toLowerCase(),
    fingerprint: normaliseFingerprint(cert.fingerprint256),
    notAfter: cert.validToDate.getTime(),
  };
}

/** "AB:CD:…" (Node's fingerprint format) → "abcd…" (ours). */
export function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replaceAll(':', '').toLowerCase();
}

/** True when `value` is a node role. */
export function isNodeRole(value: unknown): value is NodeRole {
  return typeof value === 'string' && (NODE_ROLES as readonly string[]).includes(value);
}

/** Node prints a subject one RDN per line ("CN=node_1\nO=crosscheck\nOU=agent"). */
function subjectFields(subject: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of subject.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(at + 1)]);
  }
  return fields;
}

/** The field's value when it occurs exactly once; a repeated CN/O/OU is ambiguous and ignored. */
function single(fields: Map<string, string[]>, key: string): string | undefined {
  const values = fields.get(key);
  return values?.length === 1 ? values[0] : undefined;
}

function refused(reason: string): AppError {
  return new AppError('UNAUTHORIZED', `peer certificate refused: ${reason}`);
}

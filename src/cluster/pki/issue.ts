import { isIP } from 'node:net';
import { AppError } from '../../lib/errors.ts';
import { BACKDATE_MS, loadCa, type KeyPairPem } from './ca.ts';
import { verifiedCsr } from './csr.ts';
import { DAY_MS, SIGNING_ALGORITHM, randomSerial, x509 } from './x509.ts';
import type { NodeRole } from '../../domain/node.ts';
import { CLUSTER_ORGANIZATION, NODE_ROLES } from './names.ts';

/** What a node is in the cluster (carried as the certificate's OU). */
export type { NodeRole };
export { CLUSTER_ORGANIZATION, NODE_ROLES } from './names.ts';

const DEFAULT_VALIDITY_DAYS = 825;
/**
 * Node ids become the certificate's CN and are read back from Node's one-line-per-RDN subject
 * text, so they are kept to characters that need no escaping there.
 */
const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const DNS_NAME =
  /^(?=.{1,253}$)(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;

/** Options for `issueNodeCertificate`. */
export interface IssueOptions {
  ca: KeyPairPem;
  csrPem: string;
  nodeId: string;
  role: NodeRole;
  now: Date;
  altNames?: { dns?: string[]; ip?: string[] };
  validityDays?: number;
}

/** Verifies the CSR's self-signature and key type (P-256 only), then signs a leaf: subject CN = nodeId, O = 'crosscheck', OU = role; EKU serverAuth+clientAuth; keyUsage digitalSignature; AKI/SKI; SANs from `altNames` (dns/ip) for the coordinator's server cert; random 16-byte serial; validity `validityDays` (default 825) starting 5 minutes before `now`. Bad/unsupported CSR → AppError('VALIDATION', 'csr: <reason>'). */
export async function issueNodeCertificate(
  options: IssueOptions,
): Promise<{ certPem: string; serial: string; notAfter: number }> {
  const validityDays = options.validityDays ?? DEFAULT_VALIDITY_DAYS;
  checkInputs(options, validityDays);
  const csr = await verifiedCsr(options.csrPem);
  const { cert: caCert, signingKey } = await loadCa(options.ca);
  const serial = randomSerial();
  const notAfter = options.now.getTime() + validityDays * DAY_MS;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: [{ CN: [options.nodeId] }, { O: [CLUSTER_ORGANIZATION] }, { OU: [options.role] }],
    issuer: caCert.subjectName,
    notBefore: new Date(options.now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: csr.publicKey,
    signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      ...subjectAltNames(options.altNames),
    ],
  });
  // Certificates carry whole seconds; report the value actually encoded.
  return { certPem: cert.toString('pem'), serial, notAfter: cert.notAfter.getTime() };
}

function checkInputs(options: IssueOptions, validityDays: number): void {
  if (!NODE_ID.test(options.nodeId)) {
    throw new AppError('VALIDATION', `node id ${JSON.stringify(options.nodeId)} is not valid`);
  }
  if (!NODE_ROLES.includes(options.role)) {
    throw new AppError('VALIDATION', `role must be one of ${NODE_ROLES.join(', ')}`);
  }
  if (!Number.isInteger(validityDays) || validityDays < 1) {
    throw new AppError('VALIDATION', 'validityDays must be a positive whole number');
  }
  for (const ip of options.altNames?.ip ?? []) {
    if (isIP(ip) === 0) throw new AppError('VALIDATION', `altNames.ip: ${ip} is not an IP address`);
  }
  for (const name of options.altNames?.dns ?? []) {
    if (!DNS_NAME.test(name)) {
      throw new AppError('VALIDATION', `altNames.dns: ${JSON.stringify(name)} is not a DNS name`);
    }
  }
}

function subjectAltNames(altNames: IssueOptions['altNames']): x509.Extension[] {
  const names = [
    ...(altNames?.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(altNames?.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  return names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names)];
}

import { createKeyAndCsr } from '../../src/cluster/pki/csr.ts';
import { issueNodeCertificate } from '../../src/cluster/pki/issue.ts';
import type { NodeRole } from '../../src/cluster/pki/issue.ts';

/** A node's key and certificate from the cluster CA, for a peer channel on 127.0.0.1. */
export async function nodeCertificate(
  ca: { certPem: string; keyPem: string },
  nodeId: string,
  role: NodeRole,
): Promise<{ certPem: string; keyPem: string; serial: string }> {
  const { keyPem, csrPem } = await createKeyAndCsr({ commonName: nodeId });
  const issued = await issueNodeCertificate({
    ca,
    csrPem,
    nodeId,
    role,
    now: new Date(),
    altNames: { ip: ['127.0.0.1'] },
  });
  return { certPem: issued.certPem, keyPem, serial: issued.serial };
}

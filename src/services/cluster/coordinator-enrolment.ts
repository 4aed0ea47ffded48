// Pure: the rules that decide who becomes a coordinator and who may receive the CA key.
import type { ClusterNode, JoinTokenKind, NodeRole } from '../../domain/node.ts';
import { AppError } from '../../lib/errors.ts';

/** Where a second coordinator's prerequisites are explained. */
export const SHARED_DATABASE_DOC = 'docs/postgresql.md';

/**
 * A second coordinator works on the same data as the first, so only a database several
 * processes share (PostgreSQL) can have one; a SQLite file belongs to one process.
 */
export function assertSharedDatabase(dialect: 'sqlite' | 'postgres'): void {
  if (dialect === 'postgres') return;
  throw new AppError(
    'CONFLICT',
    `this coordinator keeps its data in SQLite, which a second coordinator cannot share; move it to PostgreSQL first (\`crosscheck migrate --to\`, see ${SHARED_DATABASE_DOC}), then create the coordinator token`,
  );
}

/**
 * A token enrols exactly the kind of node it was made for: an agent token never yields a
 * coordinator certificate (and with it the CA key), and a coordinator token is not spent on an
 * agent by mistake. Checked before the token is consumed, so a wrong command can be retried.
 */
export function assertTokenFits(kind: JoinTokenKind, joiner: NodeRole): void {
  if (kind === joiner) return;
  throw new AppError(
    'FORBIDDEN',
    kind === 'agent'
      ? 'this join token enrols an agent, not a coordinator: run `crosscheck join <token>`, or create a coordinator token with `crosscheck join-token --coordinator`'
      : 'this join token enrols a coordinator, not an agent: run `crosscheck coordinator join <token> --database-url …`, or create an agent token with `crosscheck join-token`',
  );
}

/** Who asks for the CA key, as its verified client certificate says. */
export interface CaKeyAsker {
  nodeId: string;
  serial: string;
}

/**
 * Why `asker` may not receive the CA key, or undefined when it may: only a node the database
 * holds as an active coordinator, presenting the very certificate it was enrolled with (an
 * older or foreign certificate with the same node id is not enough).
 */
export function caKeyRefusal(node: ClusterNode | undefined, asker: CaKeyAsker): string | undefined {
  if (node === undefined) return 'no such node';
  if (node.removedAt !== null) return 'the node was removed';
  if (node.role !== 'coordinator') return 'the node is not a coordinator';
  if (node.certSerial.toLowerCase() !== asker.serial.toLowerCase())
    return 'the certificate is not the one the node was enrolled with';
  return undefined;
}

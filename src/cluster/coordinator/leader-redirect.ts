import WebSocket from 'ws';
import type { Logger } from '../../observability/logger.ts';
import type { CoordinatorMessage } from '../peer/messages.ts';
import { CLOSE_NOT_LEADER } from '../peer/peer-server.ts';

/** A coordinator's standing as the agent hub needs it. */
export interface Leadership {
  leading: boolean;
  /** The leader's peer address (host:port); null when no coordinator holds the lease. */
  leaderAddress: string | null;
}

/** What a single coordinator always is. */
export const ALWAYS_LEADING = (): Leadership => ({ leading: true, leaderAddress: null });

/**
 * How long a coordinator that stopped leading waits for an agent's batches already being stored
 * before it redirects the agent anyway. A store that does not answer (the database cut off: its
 * connections hang instead of failing) would otherwise keep every agent on a coordinator that
 * cannot store, until the new leader judges them all missing. A batch cut short stays in the
 * agent's outbox for the new leader; a late write of it here is refused by the fence, and result
 * ids keep it from being stored twice if it landed first.
 */
export const STORING_WAIT_MS = 1_000;

/**
 * Redirects the channel once `storing` (its batches being stored and acknowledged) is done, or
 * after `waitMs` without it. False when it had to stop waiting.
 */
export async function redirectAfter(
  storing: Promise<void>,
  socket: WebSocket,
  leader: string | null,
  waitMs: number = STORING_WAIT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  try {
    const stored = await Promise.race([storing.then(() => true as const), givenUp]);
    redirectChannel(socket, leader);
    return stored;
  } finally {
    clearTimeout(timer);
  }
}

/** Tells the agent where the leader is and closes its channel. */
export function redirectChannel(socket: WebSocket, leader: string | null): void {
  const message: CoordinatorMessage = { type: 'not-leader', leader };
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  socket.close(CLOSE_NOT_LEADER, 'not the leader');
}

/**
 * Redirects a new channel when this coordinator does not lead: before any welcome, so nothing
 * about the agent is recorded here. True when it did.
 */
export function redirectUnlessLeading(
  leadership: Leadership,
  socket: WebSocket,
  log: Logger,
  nodeId: string,
): boolean {
  if (leadership.leading) return false;
  log.debug(
    { peerNodeId: nodeId, leader: leadership.leaderAddress },
    'not the leader; redirecting agent',
  );
  redirectChannel(socket, leadership.leaderAddress);
  return true;
}

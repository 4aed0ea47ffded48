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

import type { PushState } from '../../domain/push-state.ts';

export type { PushState } from '../../domain/push-state.ts';

export const EMPTY_PUSH_STATE: PushState = {
  lastPingAt: null,
  lastStatus: null,
  lastMessage: null,
  runStartedAt: null,
  lastRunMs: null,
};

/** One received signal: a success ping, a `/start`, or a fail (`/fail` or `?status=down`). */
export interface PushPing {
  kind: 'success' | 'start' | 'fail';
  message: string | null;
}

/** Longest message kept from a ping. */
export const MAX_PUSH_MESSAGE = 500;

/** The state after a ping at `now` (pure). */
export function applyPing(state: PushState, ping: PushPing, now: number): PushState {
  const message = ping.message === null ? null : ping.message.slice(0, MAX_PUSH_MESSAGE);
  if (ping.kind === 'start') return { ...state, runStartedAt: now };
  return {
    lastPingAt: now,
    lastStatus: ping.kind === 'fail' ? 'down' : 'up',
    lastMessage: message,
    runStartedAt: null,
    lastRunMs: state.runStartedAt === null ? null : now - state.runStartedAt,
  };
}

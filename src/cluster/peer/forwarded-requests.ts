import { randomUUID } from 'node:crypto';
import { AppError } from '../../lib/errors.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { OutgoingAgentMessage } from './messages.ts';

/** The answer to a forwarded API request. */
export interface ForwardedResponse {
  status: number;
  body: unknown;
}

const FORWARD_TIMEOUT_MS = 15_000;
/** A probe waits for every node's check (up to its 120 s maximum timeout) plus a margin. */
const PROBE_FORWARD_TIMEOUT_MS = 130_000;

function forwardTimeoutMs(url: string): number {
  return url.startsWith('/api/v1/probe') ? PROBE_FORWARD_TIMEOUT_MS : FORWARD_TIMEOUT_MS;
}

/** API requests an agent forwarded over its channel, waiting for their answers. */
export interface ForwardedRequests {
  /** Sends the request with `send` and resolves with its answer; UNAVAILABLE on timeout. */
  forward(
    request: { method: string; url: string; body: unknown; token: string | undefined },
    send: (message: OutgoingAgentMessage) => void,
    where: string,
  ): Promise<ForwardedResponse>;
  /** An answer arrived (unknown ids are ignored: the request timed out). */
  answered(requestId: string, response: ForwardedResponse): void;
  /** The channel closed: every waiting request fails with UNAVAILABLE. */
  failAll(reason: string): void;
}

export function createForwardedRequests(clock: Clock): ForwardedRequests {
  const pending = new Map<
    string,
    { resolve: (r: ForwardedResponse) => void; reject: (e: Error) => void; timer: TimerHandle }
  >();
  return {
    forward({ method, url, body, token }, send, where) {
      const requestId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          pending.delete(requestId);
          reject(new AppError('UNAVAILABLE', `the coordinator at ${where} did not answer in time`));
        }, forwardTimeoutMs(url));
        pending.set(requestId, { resolve, reject, timer });
        send({
          type: 'api-request',
          requestId,
          method: method as 'GET',
          url,
          ...(body === undefined ? {} : { body }),
          ...(token === undefined ? {} : { token }),
        });
      });
    },
    answered(requestId, response) {
      const waiter = pending.get(requestId);
      if (waiter === undefined) return;
      pending.delete(requestId);
      clock.clearTimeout(waiter.timer);
      waiter.resolve(response);
    },
    failAll(reason) {
      for (const [id, waiter] of pending) {
        clock.clearTimeout(waiter.timer);
        waiter.reject(new AppError('UNAVAILABLE', reason));
        pending.delete(id);
      }
    },
  };
}

import type { CheckContext } from './types.ts';

/**
 * Runs `body` with a signal aborted by the caller or at `ctx.timeoutMs`, whichever comes first.
 * A plain controller and a cleared timer rather than AbortSignal.any + AbortSignal.timeout:
 * those leave a pending timer per check until it fires.
 */
export async function withDeadline<T>(
  ctx: Pick<CheckContext, 'timeoutMs' | 'signal'>,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const combined = new AbortController();
  const timer = setTimeout(
    () => combined.abort(new DOMException('check timed out', 'TimeoutError')),
    ctx.timeoutMs,
  );
  const onCallerAbort = (): void => combined.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onCallerAbort();
  else ctx.signal.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await body(combined.signal);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * True when the caller cancelled the check (shutdown) rather than the deadline passing: the
 * runner also aborts `ctx.signal` at the deadline, so only an abort well before it counts.
 */
export function wasCancelled(ctx: Pick<CheckContext, 'timeoutMs' | 'signal'>, elapsedMs: number) {
  return ctx.signal.aborted && elapsedMs < ctx.timeoutMs * 0.9;
}

import type { CheckContext } from './types.ts';

/**
 * Runs `body` with a signal aborted by the caller or at the timeout, whichever comes first.
 * A plain controller and a cleared timer rather than AbortSignal.any + AbortSignal.timeout:
 * those leave a pending timer per check until it fires and cost weak references per call.
 */
export async function withDeadline<T>(
  ctx: CheckContext,
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

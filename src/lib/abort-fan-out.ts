/** The controllers that follow each outer signal, aborted together when it aborts. */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * Aborts `inner` (with the same reason) when `outer` aborts, until `unfollowAbort`. Many
 * controllers following one long-lived signal (every check in flight follows the node's
 * shutdown signal) share a single listener on it: `addEventListener` and `removeEventListener`
 * scan the signal's listener list for duplicates, so one listener per check cost O(checks in
 * flight) per add and remove, and showed in daemon profiles at 256 checks in flight.
 */
export function followAbort(outer: AbortSignal, inner: AbortController): void {
  if (outer.aborted) {
    inner.abort(outer.reason);
    return;
  }
  let group = followers.get(outer);
  if (group === undefined) {
    const created = new Set<AbortController>();
    outer.addEventListener(
      'abort',
      () => {
        followers.delete(outer);
        for (const controller of created) controller.abort(outer.reason);
        created.clear();
      },
      { once: true },
    );
    followers.set(outer, created);
    group = created;
  }
  group.add(inner);
}

/** Stops `inner` following `outer` (a finished check); a no-op when it did not follow. */
export function unfollowAbort(outer: AbortSignal, inner: AbortController): void {
  followers.get(outer)?.delete(inner);
}

// Pure: which coordinator an agent dials next. No I/O, no clock; the link applies the steps.
import { AppError } from '../../lib/errors.ts';

/**
 * Redirects followed in a row before the agent backs off: two coordinators that each name the
 * other (a lease changing hands, or a stale view) must not make it dial in a tight loop.
 */
export const MAX_REDIRECTS = 3;

/** Where the agent stands among the coordinators it knows. */
export interface Rotation {
  /** Every known coordinator (host:port), in the order they are tried. */
  readonly addresses: readonly string[];
  /** Index in `addresses` of the next one to dial when there is no redirect target. */
  readonly next: number;
  /** The leader a `not-leader` named, dialed next; null for none. */
  readonly target: string | null;
  /** Redirects followed since the last welcome or backoff. */
  readonly redirects: number;
}

/** What happened on the channel just dialed. */
export type RotationEvent =
  | { kind: 'welcomed' }
  /** The connection failed, was refused, or was lost. */
  | { kind: 'failed' }
  | { kind: 'not-leader'; leader: string | null };

export interface RotationStep {
  rotation: Rotation;
  /** Dial at once (following a redirect) rather than after the reconnect backoff. */
  immediate: boolean;
}

/** A rotation over `addresses` (duplicates dropped), starting with the first; VALIDATION when empty. */
export function startRotation(addresses: readonly string[]): Rotation {
  const unique = [...new Set(addresses)];
  if (unique.length === 0)
    throw new AppError('VALIDATION', 'an agent needs at least one coordinator address');
  return { addresses: unique, next: 0, target: null, redirects: 0 };
}

/** The address to dial now. */
export function dialAddress(rotation: Rotation): string {
  const { addresses, next, target } = rotation;
  return target ?? addresses[next % addresses.length] ?? '';
}

/** The rotation after `event` on the channel to `dialAddress(rotation)`. */
export function advance(rotation: Rotation, event: RotationEvent): RotationStep {
  if (event.kind === 'welcomed')
    return { rotation: { ...rotation, redirects: 0 }, immediate: false };
  const leader = event.kind === 'not-leader' ? event.leader : null;
  const followable =
    leader !== null && leader !== dialAddress(rotation) && rotation.redirects < MAX_REDIRECTS;
  if (followable) {
    return {
      rotation: {
        ...rotation,
        // Past the list entry that redirected us; a redirect target is not a list entry.
        next: rotation.target === null ? stepped(rotation) : rotation.next,
        target: leader,
        redirects: rotation.redirects + 1,
      },
      immediate: true,
    };
  }
  // A failed redirect target hands back to the list where it left off; a list entry moves on.
  const next = rotation.target === null ? stepped(rotation) : rotation.next;
  return { rotation: { ...rotation, next, target: null, redirects: 0 }, immediate: false };
}

/**
 * The rotation over a new list (a welcome's), positioned on `current` (the coordinator just
 * connected to) when the list has it, so a later failure moves on to the next one. An empty list
 * changes nothing: an agent never forgets every coordinator.
 */
export function withAddresses(
  rotation: Rotation,
  addresses: readonly string[],
  current: string,
): Rotation {
  const unique = [...new Set(addresses)];
  if (unique.length === 0) return rotation;
  const index = unique.indexOf(current);
  if (index >= 0) return { ...rotation, addresses: unique, next: index, target: null };
  return { ...rotation, addresses: unique, next: 0 };
}

function stepped(rotation: Rotation): number {
  return (rotation.next + 1) % rotation.addresses.length;
}

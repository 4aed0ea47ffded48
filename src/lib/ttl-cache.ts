import type { Clock } from './clock.ts';

/**
 * A cache whose entries live `ttlMs` and are loaded single-flight: concurrent misses of one key
 * share one load, so a burst of requests costs one rebuild. A failed load is not cached.
 */
export interface TtlCache<K, V> {
  get(key: K): Promise<V>;
  /** Drops one entry (the next get reloads it); a load in flight finishes but is not kept. */
  invalidate(key: K): void;
  clear(): void;
}

interface Entry<V> {
  value: Promise<V>;
  /** Epoch ms after which the entry is stale; Infinity while loading. */
  expiresAt: number;
  generation: number;
}

export function createTtlCache<K, V>(options: {
  ttlMs: number;
  clock: Pick<Clock, 'now'>;
  load: (key: K) => Promise<V>;
}): TtlCache<K, V> {
  const entries = new Map<K, Entry<V>>();
  // Bumped by invalidation, so a load that started before it does not store stale data.
  let generation = 0;

  function start(key: K): Promise<V> {
    const mine = generation;
    const value = options.load(key);
    const entry: Entry<V> = { value, expiresAt: Infinity, generation: mine };
    entries.set(key, entry);
    value.then(
      () => {
        if (entries.get(key) !== entry) return;
        if (entry.generation !== generation) entries.delete(key);
        else entry.expiresAt = options.clock.now() + options.ttlMs;
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return value;
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiresAt > options.clock.now()) return entry.value;
      return start(key);
    },
    invalidate(key) {
      generation++;
      entries.delete(key);
    },
    clear() {
      generation++;
      entries.clear();
    },
  };
}

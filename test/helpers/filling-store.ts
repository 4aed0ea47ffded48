import type { Store } from '../../src/store/types.ts';

/**
 * The real store, its batched writes (`commitBatch`) failing as better-sqlite3 does on a full
 * disk while `full.now` is set; everything else passes through. Starts full.
 */
export function fillingStore(real: Store): { store: Store; full: { now: boolean } } {
  const full = { now: true };
  const store = new Proxy(real, {
    get(target, property) {
      if (property === 'commitBatch')
        return async (batch: Parameters<Store['commitBatch']>[0]) => {
          if (full.now)
            throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          return real.commitBatch(batch);
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { store, full };
}

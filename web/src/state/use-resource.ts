import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetches again, keeping the current data on screen until the answer arrives. */
  reload: () => void;
}

/**
 * Loads data for a component; a newer load aborts the older one, so a slow answer never
 * overwrites a newer one (fast typing in a search box, quick paging).
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const current = useRef<AbortController | undefined>(undefined);

  // A layout effect runs as soon as the page is built, before the browser paints it; a plain
  // effect would wait for the next frame, and every page's requests would start that much later.
  useLayoutEffect(() => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason instanceof Error ? reason : new Error(String(reason)));
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller lists what `load` depends on, as with useEffect.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}

import { useState } from 'preact/hooks';

export interface Action {
  busy: boolean;
  /** The last run's failure (an ApiError carries the per-field issues); cleared by a success. */
  error: Error | undefined;
  /** Runs `step` unless one is running; its failure becomes `error` instead of a rejection. */
  run: (step: () => Promise<unknown>) => Promise<void>;
}

/** A form's submit or a button's action: busy while it runs, the API's error when it fails. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  async function run(step: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    try {
      await step();
      setError(undefined);
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

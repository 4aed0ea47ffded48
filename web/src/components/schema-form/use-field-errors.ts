import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { FieldContext } from './schema-fields.tsx';

/**
 * Which message a field shows: the schema's problem once the field was left (or a submit was
 * tried), else the server's issue for that path from the last attempt.
 */
export function useFieldErrors(
  idPrefix: string,
  secrets: ReadonlySet<string>,
  problems: Record<string, string>,
  serverError: Error | undefined,
): FieldContext & { submitted: () => void; valid: boolean; reset: () => void } {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [all, setAll] = useState(false);
  return {
    idPrefix,
    secrets,
    errorFor: (path) =>
      (all || touched.has(path) ? problems[path] : undefined) ??
      (serverError instanceof ApiError ? serverError.issueFor(path) : undefined),
    touch: (path) => {
      if (!touched.has(path)) setTouched(new Set([...touched, path]));
    },
    submitted: () => setAll(true),
    valid: Object.keys(problems).length === 0,
    reset: () => {
      setTouched(new Set());
      setAll(false);
    },
  };
}

import { createStore } from './store.ts';

/**
 * Warnings the last save or delete answered with (an object a config file manages): kept here,
 * not in the form, because a save navigates away and the page it lands on shows them.
 */
export const managedWarnings = createStore<readonly string[]>([]);

/** Shows the `warnings` of a save's or delete's answer (none: clears the last ones). */
export function showWarningsOf(answer: unknown): void {
  const warnings =
    typeof answer === 'object' && answer !== null && 'warnings' in answer ? answer.warnings : [];
  managedWarnings.set(
    Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [],
  );
}

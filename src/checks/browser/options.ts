import { z } from 'zod';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import { insecureFlag } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';
import { expandStepTexts } from './step-text.ts';
import type { BrowserStep } from './steps.ts';
import { MAX_STEPS, stepSchema } from './steps.ts';

/** What a masked fill value is shown as. */
export const MASKED = '***';

/** Options of the `browser` check type (stored JSON shape). */
export const browserOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z.strictObject({
    /**
     * The transaction, run in order in a fresh incognito context. Without steps the check
     * opens the target and passes when the page loads.
     */
    steps: z.preprocess(
      expandStepTexts,
      z.array(stepSchema).max(MAX_STEPS, `at most ${MAX_STEPS} steps`).default([]),
    ),
    /** Accept certificates that do not verify (self-signed staging sites). */
    insecure: z.boolean().optional(),
    degradedThresholdMs: durationMsSchema.optional(),
  }),
);

export type BrowserOptions = z.output<typeof browserOptionsSchema>;

/** What `redactBrowserOptions` masks (`CheckDefinition.secretOptions`). */
export const BROWSER_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  steps: `the value of each fill step marked secret is shown as ${MASKED}`,
};

/** The options for display: each secret fill step's value becomes `***`. */
export function redactBrowserOptions(options: BrowserOptions): BrowserOptions {
  if (!options.steps.some(isSecretFill)) return options;
  return {
    ...options,
    steps: options.steps.map((step) => (isSecretFill(step) ? { ...step, value: MASKED } : step)),
  };
}

/** The secret values of a transaction, to scrub from anything the page echoes back. */
export function secretValues(options: BrowserOptions): string[] {
  return options.steps.flatMap((step) =>
    isSecretFill(step) && step.value !== '' ? [step.value] : [],
  );
}

function isSecretFill(step: BrowserStep): step is Extract<BrowserStep, { action: 'fill' }> {
  return step.action === 'fill' && step.secret === true;
}

export const browserFlags: readonly CheckFlag[] = [
  {
    flags: '--step <step>',
    key: 'steps',
    description:
      'browser: one step (repeatable), as "goto /login", "click #submit", "expectText Welcome", "expectStatus 200" or JSON such as {"action":"fill","selector":"#password","value":"…","secret":true}; a JSON array adds several (--step "$(cat steps.json)")',
    kind: 'list',
  },
  insecureFlag,
  degradedAfterFlag,
];

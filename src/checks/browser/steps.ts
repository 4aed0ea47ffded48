import { z } from 'zod';
import { expectedPatternSchema } from '../expect-pattern.ts';

/** Most steps one transaction may have: a monitor is a short journey, not a test suite. */
export const MAX_STEPS = 50;
const MAX_SELECTOR_LENGTH = 500;
const MAX_VALUE_LENGTH = 2000;
/** Longest wait one step may ask for; the monitor's timeout still bounds the whole run. */
const MAX_STEP_TIMEOUT_MS = 120_000;

const selector = z.string().trim().min(1, 'must not be empty').max(MAX_SELECTOR_LENGTH);
const stepTimeout = z.number().int().min(1).max(MAX_STEP_TIMEOUT_MS).optional();

/**
 * Where a goto step goes: a path relative to the target (`/login`) or an absolute http(s) URL.
 * Any other scheme (file:, chrome:, javascript:, data:) is refused: a monitor is data, and it
 * must never read this node's files or run code.
 */
const gotoUrl = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2048)
  .refine(
    (text) => !/^[a-z][a-z0-9+.-]*:/i.test(text) || /^https?:\/\//i.test(text),
    'must be a path (/login) or an http:// or https:// URL',
  );

const gotoStep = z.strictObject({
  action: z.literal('goto'),
  url: gotoUrl,
  timeoutMs: stepTimeout,
});
const clickStep = z.strictObject({ action: z.literal('click'), selector, timeoutMs: stepTimeout });
const fillStep = z.strictObject({
  action: z.literal('fill'),
  selector,
  value: z.string().max(MAX_VALUE_LENGTH),
  /** A password or token: masked wherever the options are shown, logged or exported. */
  secret: z.boolean().optional(),
  timeoutMs: stepTimeout,
});
const pressStep = z.strictObject({
  action: z.literal('press'),
  /** A key name as Playwright spells it: Enter, Tab, ArrowDown, Control+A… */
  key: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+]{1,40}$/, 'must be a key name such as Enter, Tab or Control+A'),
  selector: selector.optional(),
  timeoutMs: stepTimeout,
});
const waitForStep = z.strictObject({
  action: z.literal('waitFor'),
  selector,
  state: z.enum(['attached', 'detached', 'visible', 'hidden']).default('visible'),
  timeoutMs: stepTimeout,
});
const expectTextStep = z.strictObject({
  action: z.literal('expectText'),
  /** Whose text is read; the whole page's body when absent. */
  selector: selector.optional(),
  /** Text the element must contain, or `/regex/flags`. */
  text: expectedPatternSchema({ tooMany: 'expectText takes one text', maxLength: 1000 }),
  timeoutMs: stepTimeout,
});
const expectElementStep = z.strictObject({
  action: z.literal('expectElement'),
  selector,
  /** Exactly this many matches; at least one when absent. */
  count: z.number().int().min(0).max(10_000).optional(),
  timeoutMs: stepTimeout,
});
const expectTitleStep = z.strictObject({
  action: z.literal('expectTitle'),
  text: expectedPatternSchema({ tooMany: 'expectTitle takes one text', maxLength: 1000 }),
  timeoutMs: stepTimeout,
});
const expectStatusStep = z.strictObject({
  action: z.literal('expectStatus'),
  /** HTTP status of the last goto's main document. */
  status: z.number().int().min(100).max(599),
});
const screenshotStep = z.strictObject({
  action: z.literal('screenshot'),
  name: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,60}$/, 'must be 1 to 60 letters, digits, dots, dashes or underscores'),
});

/** One step of a transaction: an action with its arguments, as stored in the options. */
export const stepSchema = z.discriminatedUnion('action', [
  gotoStep,
  clickStep,
  fillStep,
  pressStep,
  waitForStep,
  expectTextStep,
  expectElementStep,
  expectTitleStep,
  expectStatusStep,
  screenshotStep,
]);

export type BrowserStep = z.output<typeof stepSchema>;
export type StepAction = BrowserStep['action'];

export const STEP_ACTIONS: readonly StepAction[] = [
  'goto',
  'click',
  'fill',
  'press',
  'waitFor',
  'expectText',
  'expectElement',
  'expectTitle',
  'expectStatus',
  'screenshot',
];

/** A short label for results and messages: `click #submit`, `fill #password`. */
export function stepLabel(step: BrowserStep): string {
  switch (step.action) {
    case 'goto':
      return `goto ${step.url}`;
    case 'press':
      return `press ${step.key}`;
    case 'expectText':
    case 'expectTitle':
      return step.action === 'expectText' && step.selector !== undefined
        ? `expectText ${step.selector}`
        : step.action;
    case 'expectStatus':
      return `expectStatus ${step.status}`;
    case 'screenshot':
      return `screenshot ${step.name}`;
    default:
      return `${step.action} ${step.selector}`;
  }
}

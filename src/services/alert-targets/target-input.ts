import { z } from 'zod';
import { messageTemplateSchema } from '../../alerts/kit/template.ts';
import type { MessageTemplate } from '../../domain/alert-target.ts';
import { PAGE_DELAY_MAX_MS, PAGE_DELAY_MIN_MS, ROUTED_EVENTS } from '../../domain/alert-target.ts';

/** Target names: what people type and config files key on. */
export const targetNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    error: 'must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
  })
  .describe('the target’s name (its stable key)');

export const createTargetSchema = z
  .object({
    name: targetNameSchema,
    type: z
      .string()
      .min(1)
      .describe('channel type, e.g. slack, email, pagerduty (`crosscheck alerts channels`)'),
    settings: z.record(z.string(), z.unknown()).default({}).describe('the channel’s settings'),
    template: messageTemplateSchema.nullable().optional(),
  })
  .strict();

export const updateTargetSchema = z
  .object({
    name: targetNameSchema,
    settings: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'settings to change; keys not given keep their value, a null value removes the key',
      ),
    template: messageTemplateSchema
      .nullable()
      .optional()
      .describe('the new template; null removes it'),
  })
  .strict();

const durationMs = z.int().min(PAGE_DELAY_MIN_MS).max(PAGE_DELAY_MAX_MS);

export const ruleInputSchema = z
  .object({
    scope: z.enum(['default', 'group', 'tag']).describe('where the rule applies'),
    value: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('the group or tag name (not for default)'),
    target: targetNameSchema,
    events: z
      .array(z.enum(ROUTED_EVENTS))
      .min(1)
      .nullable()
      .default(null)
      .describe('events to page for; null: the defaults'),
    repeatEveryMs: durationMs
      .nullable()
      .default(null)
      .describe('re-page while open and unacknowledged'),
    escalateAfterMs: durationMs
      .nullable()
      .default(null)
      .describe('page only after this long open and unacknowledged'),
  })
  .strict();

export type CreateTargetInput = z.input<typeof createTargetSchema>;
export type UpdateTargetInput = z.input<typeof updateTargetSchema>;
export type RuleInput = z.input<typeof ruleInputSchema>;

/** A template without absent parts; null when it has none. */
export function templateOf(
  input: { title?: string | undefined; body?: string | undefined } | null | undefined,
): MessageTemplate | null {
  if (input === null || input === undefined) return null;
  const template: MessageTemplate = {};
  if (input.title !== undefined) template.title = input.title;
  if (input.body !== undefined) template.body = input.body;
  return template.title === undefined && template.body === undefined ? null : template;
}

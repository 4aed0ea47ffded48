import type { z } from 'zod';
import { parseChannelSettings } from '../alerts/registry.ts';
import type { AlertRuleScope } from '../domain/alert-target.ts';
import { isAppError } from '../lib/errors.ts';
import { createTargetSchema, ruleInputSchema } from '../services/alert-targets/target-input.ts';
import { configKeySchema, splitPath } from './schema-key.ts';

/**
 * One alert target of the file: the `alerts.targets.create` input. Its name is its key (target
 * names are unique and are what routes name), so there is no separate `key`.
 */
export const configAlertTargetSchema = createTargetSchema.superRefine((entry, ctx) => {
  // The channel's own schema: reported here, at the entry's path, with the rest of the file.
  try {
    parseChannelSettings(entry.type, entry.settings);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'VALIDATION') throw error;
    for (const issue of error.issues)
      ctx.addIssue({ code: 'custom', path: splitPath(issue.path), message: issue.message });
  }
});

export type ConfigAlertTarget = z.output<typeof configAlertTargetSchema>;

/**
 * One routing rule of the file: the `alerts.rules.add` input plus `key` (default: derived from
 * scope, value and target, e.g. `group/core/ops-slack`). `target` names an alert target.
 */
export const configAlertRuleSchema = ruleInputSchema
  .extend({ key: configKeySchema.optional() })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.scope === 'default' && entry.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a default rule takes no value' });
    if (entry.scope !== 'default' && entry.value === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `a ${entry.scope} rule needs the ${entry.scope} name`,
      });
  });

export type ConfigAlertRule = z.output<typeof configAlertRuleSchema>;

/** The rule's scope as stored (the file schema checked that value goes with scope). */
export function ruleScope(entry: Pick<ConfigAlertRule, 'scope' | 'value'>): AlertRuleScope {
  const value = entry.value ?? '';
  if (entry.scope === 'group') return { kind: 'group', group: value };
  if (entry.scope === 'tag') return { kind: 'tag', tag: value };
  return { kind: 'default' };
}

/** What makes a rule unique in the store: its scope and its target (`group/core/ops-slack`). */
export function ruleIdentity(scope: AlertRuleScope, target: string): string {
  if (scope.kind === 'group') return `group/${scope.group}/${target}`;
  if (scope.kind === 'tag') return `tag/${scope.tag}/${target}`;
  return `default/${target}`;
}

/** A rule entry's key: its explicit one, else its identity. */
export function ruleKey(entry: ConfigAlertRule): string {
  return entry.key ?? ruleIdentity(ruleScope(entry), entry.target);
}

import { z } from 'zod';
import { ROUTED_EVENTS, type AlertRule } from '../../domain/alert-target.ts';
import type { TargetView } from '../../services/alert-targets/target-service.ts';
import type { TestSendResult } from '../../services/alert-targets/test-send.ts';
import type { Agreement, Expect } from './agreement.ts';
import { managedByField, warningsField } from './managed.ts';
import { epochMs } from './results.ts';

const templateSchema = z.object({
  title: z.string().exactOptional(),
  body: z.string().exactOptional(),
});

/** A target as shown: its settings with every secret as `***`. */
export const targetViewSchema = z.object({
  name: z.string(),
  type: z.string().describe('the channel type'),
  settings: z.record(z.string(), z.unknown()).describe('secrets are shown as ***'),
  template: templateSchema.nullable(),
  createdAt: epochMs,
  updatedAt: epochMs,
});

const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group'), group: z.string() }),
  z.object({ kind: z.literal('tag'), tag: z.string() }),
  z.object({ kind: z.literal('default') }),
]);

/** A routing rule: a route to a target for every monitor of a group or tag, or by default. */
export const alertRuleSchema = z.object({
  id: z.string(),
  scope: scopeSchema,
  target: z.string(),
  events: z.array(z.enum(ROUTED_EVENTS)).nullable(),
  repeatEveryMs: z.number().int().nullable(),
  escalateAfterMs: z.number().int().nullable(),
  createdAt: epochMs,
});

/** What a test send came to: the provider's answer, or the error. */
export const testSendResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), status: z.number().int().nullable(), answer: z.string() }),
  z.object({
    ok: z.literal(false),
    status: z.number().int().nullable(),
    retryable: z.boolean(),
    error: z.string(),
  }),
]);

/** A channel type as the registry describes it, with its settings' JSON Schema. */
export const channelInfoSchema = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  docsUrl: z.string(),
  secrets: z.array(z.string()).describe('settings that are secret (write-only)'),
  adminOnly: z.boolean(),
  settingsSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the settings'),
});

export type TargetViewAgrees = Expect<Agreement<typeof targetViewSchema, TargetView>>;

/** As read: with the config file that manages it, if one does. */
export const managedTargetSchema = targetViewSchema.extend({ managedBy: managedByField });
/** After an edit: with a warning when a config file manages it (its next apply undoes the edit). */
export const editedTargetSchema = targetViewSchema.extend({ warnings: warningsField });
export type AlertRuleAgrees = Expect<Agreement<typeof alertRuleSchema, AlertRule>>;
export type TestSendResultAgrees = Expect<Agreement<typeof testSendResultSchema, TestSendResult>>;

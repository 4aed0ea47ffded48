/**
 * API shapes the generated forms read (check types, alert channels, targets, rules, maintenance
 * windows); test/types/web-forms-types.check.ts proves them against the operations' schemas.
 */
import type { JsonSchema } from '../components/schema-form/json-schema.ts';

export interface CheckTypeInfo {
  type: string;
  description: string;
  defaultTimeoutMs: number;
  targetSchema: Record<string, unknown>;
  optionsSchema: Record<string, unknown>;
  secrets: { key: string; masked: string }[];
  exclusiveOptions: string[][];
}

export interface CheckTypes {
  items: CheckTypeInfo[];
  monitorFields: Record<string, unknown>;
}

/** A route on a monitor: a named target (inline channel routes are shown, not edited). */
export interface AlertRouteView {
  target?: string;
}

/** The fields of monitors.get the edit form starts from. */
/** The config file that manages an object (get and list views); its next apply restores it. */
export interface ManagedBy {
  source: string;
  key: string;
}

export interface MonitorView {
  id: string;
  name: string;
  type: string;
  target: string;
  options: Record<string, unknown>;
  alerts: object[];
  regionalAlerts: object[];
  /** Monitor ids and `group:<name>` entries it depends on. */
  dependsOn: string[];
  managedBy?: ManagedBy;
}

export interface ChannelInfo {
  type: string;
  title: string;
  description: string;
  category: string;
  docsUrl: string;
  secrets: string[];
  adminOnly: boolean;
  settingsSchema: Record<string, unknown>;
}

export interface TargetView {
  name: string;
  type: string;
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  managedBy?: ManagedBy;
}

export interface AlertRule {
  id: string;
  scope: { kind: 'group'; group: string } | { kind: 'tag'; tag: string } | { kind: 'default' };
  target: string;
  events: string[] | null;
  repeatEveryMs: number | null;
  escalateAfterMs: number | null;
}

export type TestSendResult =
  | { ok: true; status: number | null; answer: string }
  | { ok: false; status: number | null; retryable: boolean; error: string };

export interface MaintenanceWindowView {
  id: string;
  name: string;
  scope: { monitors: string[]; groups: string[]; tags: string[]; nodes: string[] };
  schedule:
    | { kind: 'once'; startsAt: number; endsAt: number }
    | {
        kind: 'recurring';
        cron: string;
        durationMs: number;
        timezone: string;
        from: number | null;
        until: number | null;
      };
  reason: string | null;
  next: { start: number; end: number } | null;
  active: boolean;
  managedBy?: ManagedBy;
}

/** The API sends JSON Schema as a plain record; the form reads it through this lens. */
export function asSchema(value: Record<string, unknown>): JsonSchema {
  return value;
}

import type { AlertRule, AlertTarget } from '../domain/alert-target.ts';

/** Named alert targets and routing rules: the part of the store contract alerting uses. */
export interface AlertTargetStore {
  /** CONFLICT when the id or name is taken. */
  insertAlertTarget(target: AlertTarget): Promise<void>;
  /** Replaces settings, template and `updatedAt`; NOT_FOUND when absent. */
  updateAlertTarget(target: AlertTarget): Promise<void>;
  getAlertTarget(name: string): Promise<AlertTarget | undefined>;
  /** Ordered by name. */
  listAlertTargets(): Promise<AlertTarget[]>;
  /** False when absent. Callers check references first (rules, monitors). */
  deleteAlertTarget(name: string): Promise<boolean>;

  /** CONFLICT when the same scope already routes to that target. */
  insertAlertRule(rule: AlertRule): Promise<void>;
  /** Ordered by scope, scope value, target. */
  listAlertRules(): Promise<AlertRule[]>;
  deleteAlertRule(id: string): Promise<boolean>;
}

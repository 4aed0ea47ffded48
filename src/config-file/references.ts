import type { AlertRoute, AlertRule } from '../domain/alert-target.ts';
import { isTargetRoute } from '../domain/alert-target.ts';
import type { Monitor } from '../domain/monitor.ts';
import { dependencyGroup } from '../domain/dependencies.ts';
import type { FieldIssue } from '../lib/errors.ts';
import type { ConfigPlan, CurrentConfig } from './plan.ts';
import { ruleIdentity, ruleScope } from './schema-alerts.ts';
import type { ConfigFile } from './schema.ts';
import { monitorKey } from './schema.ts';

/** What else routes to targets: node alerts (not part of the file). */
export interface ReferenceContext {
  nodeAlertRoutes: readonly AlertRoute[];
}

/**
 * Every reference the plan would break, all at once (pure): routes and rules naming a target
 * that neither the store (after the plan's deletes) nor the file has, windows naming a monitor
 * key the file does not have, targets and rules the
 * file would create although another file already has them, and targets the plan deletes that
 * something it keeps still routes to. Paths are under `document.` like the operation's input.
 */
export function referenceIssues(
  config: ConfigFile,
  current: CurrentConfig,
  plan: ConfigPlan,
  context: ReferenceContext,
): FieldIssue[] {
  const deletedTargets = new Set(plan.alertTargets.delete.map((d) => d.name));
  const known = new Set([
    ...current.alertTargets.map((t) => t.name).filter((name) => !deletedTargets.has(name)),
    ...(config.alertTargets ?? []).map((t) => t.name),
  ]);
  const issues: FieldIssue[] = [];
  const missing = (path: string, name: string): void => {
    if (!known.has(name))
      issues.push({ path, message: `no alert target named ${JSON.stringify(name)}` });
  };
  (config.monitors ?? []).forEach((monitor, index) => {
    for (const field of ['alerts', 'regionalAlerts'] as const)
      (monitor[field] ?? []).forEach((route, at) => {
        missing(`document.monitors.${index}.${field}.${at}.target`, route.target);
      });
  });
  (config.alertRules ?? []).forEach((rule, index) => {
    missing(`document.alertRules.${index}.target`, rule.target);
  });
  issues.push(...monitorKeyIssues(config));
  issues.push(...takenIssues(config, current, plan));
  issues.push(...stillUsedIssues(current, plan, deletedTargets, context));
  return issues;
}

/** Monitor keys in windows and pages that the file's monitors do not have. */
function monitorKeyIssues(config: ConfigFile): FieldIssue[] {
  const known = new Set((config.monitors ?? []).map(monitorKey));
  const issues: FieldIssue[] = [];
  const check = (path: string, keys: readonly string[]) =>
    keys.forEach((key, at) => {
      if (!known.has(key))
        issues.push({
          path: `${path}.${at}`,
          message: `no monitor with key ${JSON.stringify(key)} in this file`,
        });
    });
  (config.maintenance ?? []).forEach((window, index) => {
    check(`document.maintenance.${index}.monitors`, window.monitors);
  });
  (config.monitors ?? []).forEach((monitor, index) => {
    const keys = monitor.dependsOn ?? [];
    keys.forEach((key, at) => {
      if (dependencyGroup(key) === null && !known.has(key))
        issues.push({
          path: `document.monitors.${index}.dependsOn.${at}`,
          message: `no monitor with key ${JSON.stringify(key)} in this file`,
        });
    });
  });
  (config.statusPages ?? []).forEach((page, index) => {
    page.groups.forEach((group, g) => {
      check(`document.statusPages.${index}.groups.${g}.monitors`, group.monitors);
    });
    check(`document.statusPages.${index}.badgeMonitors`, page.badgeMonitors);
  });
  return issues;
}

/**
 * Objects with unique names the plan would create although the store has one of that name:
 * another file manages it (or several entries could adopt it), so the write would conflict.
 */
function takenIssues(config: ConfigFile, current: CurrentConfig, plan: ConfigPlan): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const taken = (
    list: string,
    field: string,
    what: string,
    entryNames: readonly string[],
    storedNames: readonly string[],
    created: readonly { name: string }[],
  ) => {
    const stored = new Set(storedNames);
    const creating = new Set(created.map((c) => c.name));
    entryNames.forEach((name, index) => {
      if (creating.has(name) && stored.has(name))
        issues.push({
          path: `document.${list}.${index}.${field}`,
          message: `${what} ${JSON.stringify(name)} already exists, managed by another config file or under another key`,
        });
    });
  };
  taken(
    'alertTargets',
    'name',
    'alert target',
    (config.alertTargets ?? []).map((t) => t.name),
    current.alertTargets.map((t) => t.name),
    plan.alertTargets.create,
  );
  taken(
    'alertRules',
    'target',
    'rule',
    (config.alertRules ?? []).map((r) => ruleIdentity(ruleScope(r), r.target)),
    current.alertRules.map((r) => ruleIdentity(r.scope, r.target)),
    plan.alertRules.create,
  );
  taken(
    'maintenance',
    'name',
    'maintenance window',
    (config.maintenance ?? []).map((w) => w.name),
    current.maintenance.map((w) => w.name),
    plan.maintenance.create,
  );
  taken(
    'statusPages',
    'slug',
    'status page',
    (config.statusPages ?? []).map((p) => p.slug),
    current.statusPages.map((p) => p.slug),
    plan.statusPages.create,
  );
  return issues;
}

/** Targets the plan deletes that a monitor, rule or node alert it keeps still routes to. */
function stillUsedIssues(
  current: CurrentConfig,
  plan: ConfigPlan,
  deletedTargets: ReadonlySet<string>,
  context: ReferenceContext,
): FieldIssue[] {
  if (deletedTargets.size === 0) return [];
  const rewritten = new Set([
    ...plan.monitors.delete.map((d) => d.id),
    ...plan.monitors.update.map((u) => u.id),
  ]);
  const kept: Monitor[] = [
    ...current.monitors.filter((m) => !rewritten.has(m.id)),
    ...plan.monitors.update.map((u) => u.object),
  ];
  const goneRules = new Set([
    ...plan.alertRules.delete.map((d) => d.id),
    ...plan.alertRules.update.map((u) => u.id),
  ]);
  const rules: AlertRule[] = [
    ...current.alertRules.filter((r) => !goneRules.has(r.id)),
    ...plan.alertRules.update.map((u) => u.object),
  ];
  const names = (routes: readonly AlertRoute[]) =>
    routes.flatMap((r) => (isTargetRoute(r) ? [r.target] : []));
  const users = new Map<string, string[]>();
  const use = (target: string, user: string) => {
    if (deletedTargets.has(target)) users.set(target, [...(users.get(target) ?? []), user]);
  };
  for (const monitor of kept)
    for (const target of names([...monitor.alerts, ...monitor.regionalAlerts]))
      use(target, `monitor ${monitor.name}`);
  for (const rule of rules) use(rule.target, `rule ${ruleIdentity(rule.scope, rule.target)}`);
  for (const target of names(context.nodeAlertRoutes)) use(target, 'node alerts');
  return [...users].map(([target, by]) => ({
    path: 'document.alertTargets',
    message: `alert target ${JSON.stringify(target)} (no longer in the file) is still used by ${by.join(', ')}`,
  }));
}

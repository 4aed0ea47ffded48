import type { AlertRoute, AlertRule, AlertTarget, TargetRoute } from '../domain/alert-target.ts';
import { isTargetRoute } from '../domain/alert-target.ts';
import type { ManagedRecord } from '../domain/managed-object.ts';
import type { Monitor } from '../domain/monitor.ts';
import { shortHash } from '../lib/canonical-hash.ts';
import { canonical, compare } from './canonical.ts';
import { escapeReferences, maskSecrets } from './export-values.ts';
import { ruleIdentity } from './schema-alerts.ts';

/**
 * Monitors whose routes carry their channel settings inline (stored before targets existed, or
 * by a node that had no target service) written as routes to targets: the target the API would
 * turn the route into (one with the same channel and settings, else `<channel>-<hash>`), added
 * to the targets when it does not exist. Applying the file creates it, so the monitors route the
 * same way and a second export is the same text.
 */
export function inlineRoutesAsTargets(
  monitors: readonly Monitor[],
  targets: readonly AlertTarget[],
): { monitors: Monitor[]; targets: AlertTarget[] } {
  const all = [...targets];
  const targetFor = (route: AlertRoute): TargetRoute => {
    if (isTargetRoute(route)) return route;
    const same = all.find(
      (t) => t.type === route.channel && canonical(t.settings) === canonical(route.settings),
    );
    let name = same?.name;
    if (name === undefined) {
      const base = `${route.channel}-${shortHash(route.settings)}`;
      name = base;
      for (let n = 2; all.some((t) => t.name === name); n++) name = `${base}-${n}`;
      all.push({
        id: '',
        name,
        type: route.channel,
        settings: route.settings,
        template: null,
        createdAt: 0,
        updatedAt: 0,
      });
    }
    return { target: name, events: null, repeatEveryMs: null, escalateAfterMs: null };
  };
  // By id, so the names `-2`, `-3` go the same way whatever order the store listed them in.
  const rewritten = [...monitors]
    .sort((a, b) => compare(a.id, b.id))
    .map((m) => ({
      ...m,
      alerts: m.alerts.map(targetFor),
      regionalAlerts: m.regionalAlerts.map(targetFor),
    }));
  return { monitors: rewritten, targets: all.sort((a, b) => compare(a.name, b.name)) };
}

/** Target entries by name: settings with secrets as placeholders unless `includeSecrets`. */
export function targetEntries(
  targets: readonly AlertTarget[],
  shown: (target: AlertTarget) => Record<string, unknown>,
  includeSecrets: boolean,
  secrets: string[],
): Record<string, unknown>[] {
  return [...targets]
    .sort((a, b) => compare(a.name, b.name))
    .map((target) => {
      const entry: Record<string, unknown> = { name: target.name, type: target.type };
      if (Object.keys(target.settings).length > 0)
        entry.settings = includeSecrets
          ? escapeReferences(target.settings)
          : maskSecrets(
              target.settings,
              shown(target),
              `ALERT_TARGET_${target.name}_SETTINGS`,
              secrets,
            );
      if (target.template !== null) entry.template = escapeReferences(target.template);
      return entry;
    });
}

/**
 * Rule entries by key: the key a file manages the rule under, else its identity
 * (`group/core/ops-slack`, written only when it differs); values left out at their defaults.
 */
export function ruleEntries(
  rules: readonly AlertRule[],
  managed: readonly ManagedRecord[],
): Record<string, unknown>[] {
  const managedKey = new Map(
    managed.filter((r) => r.kind === 'alert-rule').map((r) => [r.objectId, r.key]),
  );
  const taken = new Set(rules.flatMap((r) => managedKey.get(r.id) ?? []));
  const keyed = [...rules]
    .sort((a, b) => compare(ruleIdentity(a.scope, a.target), ruleIdentity(b.scope, b.target)))
    .map((rule) => {
      const identity = ruleIdentity(rule.scope, rule.target);
      let key = managedKey.get(rule.id);
      if (key === undefined) {
        key = identity;
        for (let n = 2; taken.has(key); n++) key = `${identity}-${n}`;
        taken.add(key);
      }
      return { key, rule, identity };
    });
  return keyed
    .sort((a, b) => compare(a.key, b.key))
    .map(({ key, rule, identity }) => {
      const entry: Record<string, unknown> = {};
      if (key !== identity) entry.key = key;
      entry.scope = rule.scope.kind;
      if (rule.scope.kind === 'group') entry.value = rule.scope.group;
      if (rule.scope.kind === 'tag') entry.value = rule.scope.tag;
      entry.target = rule.target;
      if (rule.events !== null) entry.events = rule.events;
      if (rule.repeatEveryMs !== null) entry.repeatEveryMs = rule.repeatEveryMs;
      if (rule.escalateAfterMs !== null) entry.escalateAfterMs = rule.escalateAfterMs;
      return entry;
    });
}

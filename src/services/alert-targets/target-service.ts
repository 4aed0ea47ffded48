import { isDeepStrictEqual } from 'node:util';
import { findChannel, parseChannelSettings, redactChannelSettings } from '../../alerts/registry.ts';
import type {
  AlertRoute,
  AlertRule,
  AlertRuleScope,
  AlertTarget,
  MessageTemplate,
} from '../../domain/alert-target.ts';
import { isTargetRoute } from '../../domain/alert-target.ts';
import { roleAtLeast, type Principal } from '../../domain/principal.ts';
import { shortHash } from '../../lib/canonical-hash.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound, validationError } from '../../lib/errors.ts';
import type { Store } from '../../store/types.ts';
import { zodIssues } from '../monitors/monitor-input.ts';
import {
  createTargetSchema,
  ruleInputSchema,
  templateOf,
  updateTargetSchema,
} from './target-input.ts';
import { sendTestAlert, type TestSendResult, type TestSendOptions } from './test-send.ts';

/** A target as shown: settings with every secret masked. */
export interface TargetView {
  name: string;
  type: string;
  settings: Record<string, unknown>;
  template: MessageTemplate | null;
  createdAt: number;
  updatedAt: number;
}

export interface AlertTargetServiceDeps {
  store: Store;
  clock: Clock;
  newId: () => string;
  /** Ids of routing rules (`rule_…`, what `alerts route delete` takes); `newId` when absent. */
  newRuleId?: () => string;
  /** Called after every change to targets or rules (the coordinator reloads its routing). */
  onChanged?: () => void;
  /** What a test send may use (allow-listed commands, public URL). */
  testSend?: Omit<TestSendOptions, 'signal'>;
}

/** Alert targets and routing rules: every transport calls these. */
export interface AlertTargetService {
  list(): Promise<TargetView[]>;
  get(name: string): Promise<TargetView>;
  create(input: unknown, actor: Principal): Promise<TargetView>;
  update(input: unknown, actor: Principal): Promise<TargetView>;
  remove(name: string): Promise<void>;
  test(name: string): Promise<TestSendResult>;
  listRules(): Promise<AlertRule[]>;
  addRule(input: unknown): Promise<AlertRule>;
  removeRule(id: string): Promise<void>;
  /**
   * Turns inline routes (`{channel, settings}`, the `--webhook URL` shorthand) into routes to
   * targets: an existing target with the same channel and settings is reused, otherwise one
   * named `<channel>-<hash>` is created. Target routes must name an existing target.
   */
  materializeRoutes(routes: readonly AlertRoute[], path: string): Promise<AlertRoute[]>;
}

export function createAlertTargetService(deps: AlertTargetServiceDeps): AlertTargetService {
  const { store, clock } = deps;

  async function load(name: string): Promise<AlertTarget> {
    const target = await store.getAlertTarget(name);
    if (target === undefined) throw notFound('alert target', name);
    return target;
  }

  function changed(): void {
    deps.onChanged?.();
  }

  async function materialize(route: AlertRoute, path: string): Promise<AlertRoute> {
    if (isTargetRoute(route)) {
      if ((await store.getAlertTarget(route.target)) === undefined) {
        throw validationError([
          { path: `${path}.target`, message: `no alert target named "${route.target}"` },
        ]);
      }
      return route;
    }
    const settings = parseChannelSettings(route.channel, route.settings, `${path}.settings`);
    const same = (await store.listAlertTargets()).find(
      (t) => t.type === route.channel && isDeepStrictEqual(t.settings, settings),
    );
    const name = same?.name ?? (await freeName(`${route.channel}-${shortHash(settings)}`));
    if (same === undefined) {
      const now = clock.now();
      await store.insertAlertTarget({
        id: deps.newId(),
        name,
        type: route.channel,
        settings,
        template: null,
        createdAt: now,
        updatedAt: now,
      });
      changed();
    }
    return { target: name, events: null, repeatEveryMs: null, escalateAfterMs: null };
  }

  /** `base`, or `base-2`, `base-3`… when a target was given that name and edited since. */
  async function freeName(base: string): Promise<string> {
    let name = base;
    for (let n = 2; (await store.getAlertTarget(name)) !== undefined; n++) name = `${base}-${n}`;
    return name;
  }

  return {
    async list() {
      return (await store.listAlertTargets()).map(viewOf);
    },
    async get(name) {
      return viewOf(await load(name));
    },
    async create(input, actor) {
      const parsed = createTargetSchema.safeParse(input);
      if (!parsed.success) throw validationError(zodIssues(parsed.error));
      const { name, type, template } = parsed.data;
      assertMayUse(type, actor);
      const settings = parseChannelSettings(type, parsed.data.settings);
      const now = clock.now();
      const target: AlertTarget = {
        id: deps.newId(),
        name,
        type,
        settings,
        template: templateOf(template),
        createdAt: now,
        updatedAt: now,
      };
      await store.insertAlertTarget(target);
      changed();
      return viewOf(target);
    },
    async update(input, actor) {
      const parsed = updateTargetSchema.safeParse(input);
      if (!parsed.success) throw validationError(zodIssues(parsed.error));
      const existing = await load(parsed.data.name);
      assertMayUse(existing.type, actor);
      const merged = mergeSettings(existing.settings, parsed.data.settings ?? {});
      const settings = parseChannelSettings(existing.type, merged);
      const template =
        parsed.data.template === undefined ? existing.template : templateOf(parsed.data.template);
      const target = { ...existing, settings, template, updatedAt: clock.now() };
      await store.updateAlertTarget(target);
      changed();
      return viewOf(target);
    },
    async remove(name) {
      await load(name);
      const users = await referencesTo(store, name);
      if (users.length > 0) {
        throw new AppError(
          'CONFLICT',
          `alert target "${name}" is still used by ${users.join(', ')}; remove those routes first`,
        );
      }
      await store.deleteAlertTarget(name);
      changed();
    },
    async test(name) {
      const target = await load(name);
      return sendTestAlert(target, { ...deps.testSend, signal: AbortSignal.timeout(30_000) });
    },
    listRules: () => store.listAlertRules(),
    async addRule(input) {
      const parsed = ruleInputSchema.safeParse(input);
      if (!parsed.success) throw validationError(zodIssues(parsed.error));
      const { scope: kind, value, target, events, repeatEveryMs, escalateAfterMs } = parsed.data;
      const scope = scopeOf(kind, value);
      await load(target).catch(() => {
        throw validationError([{ path: 'target', message: `no alert target named "${target}"` }]);
      });
      const rule: AlertRule = {
        id: (deps.newRuleId ?? deps.newId)(),
        scope,
        target,
        events,
        repeatEveryMs,
        escalateAfterMs,
        createdAt: clock.now(),
      };
      await store.insertAlertRule(rule);
      changed();
      return rule;
    },
    async removeRule(id) {
      if (!(await store.deleteAlertRule(id))) throw notFound('alert rule', id);
      changed();
    },
    async materializeRoutes(routes, path) {
      const result: AlertRoute[] = [];
      for (const [index, route] of routes.entries())
        result.push(await materialize(route, `${path}.${index}`));
      return result;
    },
  };
}

function viewOf(target: AlertTarget): TargetView {
  return {
    name: target.name,
    type: target.type,
    settings: redactChannelSettings(target.type, target.settings),
    template: target.template,
    createdAt: target.createdAt,
    updatedAt: target.updatedAt,
  };
}

/** A channel that runs things on the node (command) is for admins only. */
function assertMayUse(type: string, actor: Principal): void {
  const definition = findChannel(type);
  if (definition?.adminOnly === true && !roleAtLeast(actor.role, 'admin')) {
    throw new AppError('FORBIDDEN', `only admins may configure ${definition.title} targets`);
  }
}

function mergeSettings(
  existing: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...existing };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function scopeOf(kind: 'default' | 'group' | 'tag', value: string | undefined): AlertRuleScope {
  if (kind === 'default') {
    if (value !== undefined)
      throw validationError([{ path: 'value', message: 'a default rule takes no value' }]);
    return { kind };
  }
  if (value === undefined)
    throw validationError([{ path: 'value', message: `a ${kind} rule needs the ${kind} name` }]);
  return kind === 'group' ? { kind, group: value } : { kind, tag: value };
}

/** Who routes to a target: monitors (by name), rules and node alerts. */
async function referencesTo(store: Store, name: string): Promise<string[]> {
  const uses = (routes: readonly AlertRoute[]) =>
    routes.some((r) => isTargetRoute(r) && r.target === name);
  const users: string[] = [];
  for (const monitor of await store.listMonitors()) {
    if (uses(monitor.alerts) || uses(monitor.regionalAlerts)) users.push(`monitor ${monitor.name}`);
  }
  const rules = (await store.listAlertRules()).filter((rule) => rule.target === name);
  if (rules.length > 0) users.push(`${rules.length} routing rule(s)`);
  if (uses(await store.nodeAlertRoutes())) users.push('node alerts');
  return users;
}

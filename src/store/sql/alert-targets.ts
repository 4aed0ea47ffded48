import type { Insertable, Kysely, Selectable } from 'kysely';
import type {
  AlertRule,
  AlertRuleScope,
  AlertTarget,
  MessageTemplate,
  RoutedEvent,
} from '../../domain/alert-target.ts';
import { ROUTED_EVENTS } from '../../domain/alert-target.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { corrupt, isRecord, oneOf, parseJsonArray, parseJsonObject } from './json-column.ts';
import type { AlertRulesTable, AlertTargetsTable, Database } from './schema.ts';

const SCOPES = ['default', 'group', 'tag'] as const;
const num = (value: number | null): number | null => (value === null ? null : Number(value));

function targetToRow(t: AlertTarget): Insertable<AlertTargetsTable> {
  return {
    id: t.id,
    name: t.name,
    type: t.type,
    settings: JSON.stringify(t.settings),
    template: t.template === null ? null : JSON.stringify(t.template),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

function rowToTarget(row: Selectable<AlertTargetsTable>): AlertTarget {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    settings: parseJsonObject(row.settings, { table: 'alert_targets', column: 'settings' }),
    template: row.template === null ? null : parseTemplate(row.template),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function parseTemplate(text: string): MessageTemplate {
  const where = { table: 'alert_targets', column: 'template' };
  const value = parseJsonObject(text, where);
  const template: MessageTemplate = {};
  for (const key of ['title', 'body'] as const) {
    const part = value[key];
    if (part === undefined) continue;
    if (typeof part !== 'string') throw corrupt(where, `${key} must be a string`);
    template[key] = part;
  }
  return template;
}

function ruleToRow(r: AlertRule): Insertable<AlertRulesTable> {
  const [scope, value] = scopeColumns(r.scope);
  return {
    id: r.id,
    scope,
    scope_value: value,
    target: r.target,
    events: JSON.stringify(r.events),
    repeat_every_ms: r.repeatEveryMs,
    escalate_after_ms: r.escalateAfterMs,
    created_at: r.createdAt,
  };
}

function scopeColumns(scope: AlertRuleScope): [string, string] {
  switch (scope.kind) {
    case 'group':
      return ['group', scope.group];
    case 'tag':
      return ['tag', scope.tag];
    default:
      return [scope.kind, ''];
  }
}

function rowToRule(row: Selectable<AlertRulesTable>): AlertRule {
  const kind = oneOf(row.scope, SCOPES, { table: 'alert_rules', column: 'scope' });
  const scope: AlertRuleScope =
    kind === 'group'
      ? { kind, group: row.scope_value }
      : kind === 'tag'
        ? { kind, tag: row.scope_value }
        : { kind };
  return {
    id: row.id,
    scope,
    target: row.target,
    events: parseEvents(row.events),
    repeatEveryMs: num(row.repeat_every_ms),
    escalateAfterMs: num(row.escalate_after_ms),
    createdAt: Number(row.created_at),
  };
}

function parseEvents(text: string): RoutedEvent[] | null {
  const where = { table: 'alert_rules', column: 'events' };
  if (text === 'null') return null;
  return parseJsonArray(text, where).map((event) => {
    if (isRecord(event)) throw corrupt(where, 'events must be strings');
    return oneOf(String(event), ROUTED_EVENTS, where);
  });
}

export async function insertTarget(db: Kysely<Database>, target: AlertTarget): Promise<void> {
  await db.transaction().execute((trx) => insertTargetIn(trx, target));
}

/** Inserts a target; call inside a transaction. CONFLICT when the id or name is taken. */
export async function insertTargetIn(db: Kysely<Database>, target: AlertTarget): Promise<void> {
  const taken = await db
    .selectFrom('alert_targets')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', target.id), eb('name', '=', target.name)]))
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('CONFLICT', `an alert target named "${target.name}" already exists`);
  }
  await db.insertInto('alert_targets').values(targetToRow(target)).execute();
}

/** A config file's version of a target (by name): its type may change too. */
export async function replaceTarget(db: Kysely<Database>, target: AlertTarget): Promise<void> {
  const row = targetToRow(target);
  const result = await db
    .updateTable('alert_targets')
    .set({
      type: row.type,
      settings: row.settings,
      template: row.template ?? null,
      updated_at: row.updated_at,
    })
    .where('name', '=', target.name)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('alert target', target.name);
}

export async function updateTarget(db: Kysely<Database>, target: AlertTarget): Promise<void> {
  const row = targetToRow(target);
  const result = await db
    .updateTable('alert_targets')
    .set({ settings: row.settings, template: row.template ?? null, updated_at: row.updated_at })
    .where('name', '=', target.name)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('alert target', target.name);
}

export async function getTarget(
  db: Kysely<Database>,
  name: string,
): Promise<AlertTarget | undefined> {
  const row = await db
    .selectFrom('alert_targets')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToTarget(row);
}

export async function listTargets(db: Kysely<Database>): Promise<AlertTarget[]> {
  const rows = await db.selectFrom('alert_targets').selectAll().orderBy('name').execute();
  return rows.map(rowToTarget);
}

export async function deleteTarget(db: Kysely<Database>, name: string): Promise<boolean> {
  // A deleted target is no longer managed by a config file.
  await db
    .deleteFrom('managed_objects')
    .where('kind', '=', 'alert-target')
    .where('object_id', 'in', db.selectFrom('alert_targets').select('id').where('name', '=', name))
    .execute();
  const result = await db.deleteFrom('alert_targets').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertRule(db: Kysely<Database>, rule: AlertRule): Promise<void> {
  await db.transaction().execute((trx) => saveRuleIn(trx, 'insert', rule));
}

/**
 * Inserts a rule or replaces one by id; call inside a transaction. CONFLICT when another rule
 * has the same scope and target, NOT_FOUND for an update of a missing rule.
 */
export async function saveRuleIn(
  db: Kysely<Database>,
  op: 'insert' | 'update',
  rule: AlertRule,
): Promise<void> {
  const row = ruleToRow(rule);
  const taken = await db
    .selectFrom('alert_rules')
    .select('id')
    .where('scope', '=', row.scope)
    .where('scope_value', '=', row.scope_value)
    .where('target', '=', row.target)
    .where('id', '!=', rule.id)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError('CONFLICT', `this scope already routes to alert target "${rule.target}"`);
  }
  if (op === 'insert') {
    await db.insertInto('alert_rules').values(row).execute();
    return;
  }
  const { id: _id, created_at: _created, ...columns } = row;
  const result = await db
    .updateTable('alert_rules')
    .set(columns)
    .where('id', '=', rule.id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('alert rule', rule.id);
}

export async function listRules(db: Kysely<Database>): Promise<AlertRule[]> {
  const rows = await db
    .selectFrom('alert_rules')
    .selectAll()
    .orderBy('scope')
    .orderBy('scope_value')
    .orderBy('target')
    .execute();
  return rows.map(rowToRule);
}

export async function deleteRule(db: Kysely<Database>, id: string): Promise<boolean> {
  await db
    .deleteFrom('managed_objects')
    .where('kind', '=', 'alert-rule')
    .where('object_id', '=', id)
    .execute();
  const result = await db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import { canonical, compare, isPlainObject } from './canonical.ts';

/** An object a file can manage: stored with an id and a creation time. */
export interface StoredObject {
  id: string;
  createdAt: number;
}

/** One object of a plan, by its key in the file. */
export interface PlannedObject {
  kind: ManagedKind;
  key: string;
  name: string;
}

/** An object to create; its id (empty here) is given when it is written. */
export interface PlannedCreate<T> extends PlannedObject {
  object: T;
}

/** An object to change to the file's version; `fields` are the dotted paths that differ. */
export interface PlannedUpdate<T> extends PlannedObject {
  id: string;
  object: T;
  fields: string[];
  /** An unmanaged object of the same name becomes managed by this file. */
  adopt: boolean;
}

export interface PlannedExisting extends PlannedObject {
  id: string;
}

/** What an apply would do with one kind; every list ordered by key. */
export interface KindPlan<T> {
  create: PlannedCreate<T>[];
  update: PlannedUpdate<T>[];
  delete: PlannedExisting[];
  unchanged: PlannedExisting[];
}

/** How one kind's file entries map onto stored objects. */
export interface KindSpec<E, T extends StoredObject> {
  kind: ManagedKind;
  keyOf: (entry: E) => string;
  /** The name an entry adopts an unmanaged object by (and shows in plans). */
  nameOf: (entry: E) => string;
  objectName: (object: T) => string;
  /** The object an entry describes, with the id and times given (the file has none). */
  /** `existing`: the object the entry updates (a value the file leaves out may be kept from it). */
  build: (entry: E, stamp: { id: string; createdAt: number; now: number; existing?: T }) => T;
}

export interface KindPlanOptions {
  source: string;
  prune: boolean;
  now: number;
}

/**
 * Compares one kind's entries with the store (pure). An entry matches the object this file
 * manages under its key; failing that, the one unmanaged object of its name (adopted, so a file
 * exported from a running node applies cleanly); otherwise it is created. Matched objects are
 * replaced by the file's version, so `apply` restores edits made elsewhere. With `prune`,
 * objects this file manages and no longer names are deleted.
 */
export function planKind<E, T extends StoredObject>(
  spec: KindSpec<E, T>,
  entries: readonly E[],
  objects: readonly T[],
  managed: readonly ManagedRecord[],
  options: KindPlanOptions,
): KindPlan<T> {
  return runSteps(planKindSteps(spec, entries, objects, managed, options));
}

/** Entries planned between two pauses of a sliced plan (`planKindSteps`). */
export const PLAN_SLICE = 500;

/**
 * A long computation as steps: it yields between slices, so a caller may let other work run
 * there (`planConfigInSlices`) or run it through at once (`runSteps`).
 */
export type Steps<R> = Generator<void, R, void>;

/** Runs steps through without pausing. */
export function runSteps<R>(steps: Steps<R>): R {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/** `planKind` as steps: a pause after every `PLAN_SLICE` entries. */
export function* planKindSteps<E, T extends StoredObject>(
  spec: KindSpec<E, T>,
  entries: readonly E[],
  objects: readonly T[],
  managed: readonly ManagedRecord[],
  options: KindPlanOptions,
): Steps<KindPlan<T>> {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const { mine, adoptable } = matchEntries(spec, entries, objects, managed, options.source);
  yield; // the indexes above cost as much as a slice of entries when a kind has many objects
  const plan: KindPlan<T> = { create: [], update: [], delete: [], unchanged: [] };
  for (const [index, entry] of entries.entries()) {
    if (index > 0 && index % PLAN_SLICE === 0) yield;
    const key = spec.keyOf(entry);
    const name = spec.nameOf(entry);
    const matchedId = mine.get(key) ?? adoptable.get(name);
    const existing = matchedId === undefined ? undefined : byId.get(matchedId);
    const base = { kind: spec.kind, key, name };
    if (existing === undefined) {
      const object = spec.build(entry, { id: '', createdAt: options.now, now: options.now });
      plan.create.push({ ...base, object });
      continue;
    }
    const desired = spec.build(entry, {
      id: existing.id,
      createdAt: existing.createdAt,
      now: options.now,
      existing,
    });
    const fields = changedFields(existing, desired);
    const adopt = !mine.has(key);
    if (fields.length === 0 && !adopt) plan.unchanged.push({ ...base, id: existing.id });
    else
      plan.update.push({
        ...base,
        id: existing.id,
        object: fields.length === 0 ? existing : desired,
        fields,
        adopt,
      });
  }
  if (options.prune) {
    const named = new Set(entries.map(spec.keyOf));
    for (const [key, id] of mine) {
      const object = byId.get(id);
      if (!named.has(key) && object !== undefined)
        plan.delete.push({ kind: spec.kind, key, name: spec.objectName(object), id });
    }
  }
  yield;
  const byKey = <P extends PlannedObject>(list: P[]): P[] =>
    list.sort((a, b) => compare(a.key, b.key));
  return {
    create: byKey(plan.create),
    update: byKey(plan.update),
    delete: byKey(plan.delete),
    unchanged: byKey(plan.unchanged),
  };
}

/**
 * Unmanaged objects an entry may adopt, by name: only when exactly one unmanaged object and
 * exactly one entry (not already matched by key) carry that name, so the result never depends
 * on the order of either list.
 */
/** What matching entries to objects needs of a kind's spec. */
export type KindMatch<E, T extends StoredObject> = Pick<
  KindSpec<E, T>,
  'kind' | 'keyOf' | 'nameOf' | 'objectName'
>;

/**
 * How entries find their objects: `mine` by key among the objects this file manages, else
 * `adoptable` by name among unmanaged ones (a name exactly one entry and one object have).
 */
function matchEntries<E, T extends StoredObject>(
  spec: KindMatch<E, T>,
  entries: readonly E[],
  objects: readonly T[],
  managed: readonly ManagedRecord[],
  source: string,
): { mine: Map<string, string>; adoptable: Map<string, string> } {
  const ofKind = managed.filter((r) => r.kind === spec.kind);
  const ids = new Set(objects.map((o) => o.id));
  const managedIds = new Set(ofKind.map((r) => r.objectId));
  const mine = new Map(
    ofKind
      .filter((r) => r.source === source && ids.has(r.objectId))
      .map((r) => [r.key, r.objectId]),
  );
  const unmatched = entries.filter((e) => !mine.has(spec.keyOf(e))).map(spec.nameOf);
  const free = objects.filter((o) => !managedIds.has(o.id));
  return { mine, adoptable: adoptableByName(unmatched, free, spec.objectName) };
}

/**
 * The id each entry's object has or will have, by key: the matched object's (see
 * `matchEntries`), else `pending` + key for one the plan creates. For references between
 * entries of one file, resolved before the plan compares objects.
 */
export function idsByKey<E, T extends StoredObject>(
  spec: KindMatch<E, T>,
  entries: readonly E[],
  objects: readonly T[],
  managed: readonly ManagedRecord[],
  source: string,
  pending: string,
): Map<string, string> {
  const { mine, adoptable } = matchEntries(spec, entries, objects, managed, source);
  return new Map(
    entries.map((entry) => {
      const key = spec.keyOf(entry);
      return [key, mine.get(key) ?? adoptable.get(spec.nameOf(entry)) ?? `${pending}${key}`];
    }),
  );
}

function adoptableByName<T extends StoredObject>(
  entryNames: readonly string[],
  free: readonly T[],
  nameOf: (object: T) => string,
): Map<string, string> {
  const entryCount = countBy(entryNames);
  const objectCount = countBy(free.map(nameOf));
  const adoptable = new Map<string, string>();
  for (const object of free) {
    const name = nameOf(object);
    if (entryCount.get(name) === 1 && objectCount.get(name) === 1) adoptable.set(name, object.id);
  }
  return adoptable;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Fields that are not settings: identity and bookkeeping. */
const NOT_SETTINGS = new Set(['id', 'createdAt', 'updatedAt']);

/** Dotted paths of the settings that differ (objects compared key by key, arrays whole). */
export function changedFields(current: object, desired: object): string[] {
  const changed: string[] = [];
  const a = current as Record<string, unknown>;
  const b = desired as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!NOT_SETTINGS.has(key)) diffValue(key, a[key], b[key], changed);
  }
  return changed.sort();
}

function diffValue(path: string, a: unknown, b: unknown, out: string[]): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      diffValue(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (canonical(a) !== canonical(b)) out.push(path);
}

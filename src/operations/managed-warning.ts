import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import type { DeleteOutput, ManagedBy } from './schemas/managed.ts';
import type { OperationServices } from './services.ts';

/** How the CLI, the API and MCP name an object in a warning: its kind and id (a target: name). */
function editWarning(kind: ManagedKind, label: string, record: ManagedRecord): string {
  return (
    `${kind} ${label} is managed by the config file ${record.source} (key ${record.key}); ` +
    'the next crosscheck apply of that file restores its version'
  );
}

function deleteWarning(kind: ManagedKind, label: string, record: ManagedRecord): string {
  return (
    `${kind} ${label} was managed by the config file ${record.source} (key ${record.key}); ` +
    'the next crosscheck apply of that file re-creates it'
  );
}

/** The record of one object: by id, or for alert targets (keyed by name in a file) by name. */
async function recordOf(
  services: OperationServices,
  kind: ManagedKind,
  idOrName: string,
): Promise<ManagedRecord | undefined> {
  const config = services.config;
  if (kind !== 'alert-target') return config?.managedBy?.(kind, idOrName);
  const records = await config?.managedAmong?.(kind, { keys: [idOrName] });
  return records?.[0];
}

/**
 * The edit still happens (the API stays usable in an emergency); the caller is told that the
 * file wins at its next apply. `idOrName` is the id, or an alert target's name.
 */
export async function managedWarnings(
  services: OperationServices,
  kind: ManagedKind,
  idOrName: string,
): Promise<{ warnings?: string[] }> {
  const record = await recordOf(services, kind, idOrName);
  if (record === undefined) return {};
  return { warnings: [editWarning(kind, idOrName, record)] };
}

/**
 * Deletes an object the way `remove` does and says whether a config file managed it. The record
 * is read first: the delete takes it away with the object, so the next apply re-creates it.
 */
export async function deleteWithWarnings(
  services: OperationServices,
  kind: ManagedKind,
  idOrName: string,
  remove: () => Promise<unknown>,
): Promise<DeleteOutput> {
  const record = await recordOf(services, kind, idOrName);
  await remove();
  if (record === undefined) return undefined;
  return { warnings: [deleteWarning(kind, idOrName, record)] };
}

function managedByOf(record: ManagedRecord | undefined): { managedBy?: ManagedBy } {
  return record === undefined ? {} : { managedBy: { source: record.source, key: record.key } };
}

/** One view with `managedBy` when a config file manages it. */
export async function withManagedBy<T extends object>(
  services: OperationServices,
  kind: ManagedKind,
  idOrName: string,
  view: T,
): Promise<T & { managedBy?: ManagedBy }> {
  return { ...view, ...managedByOf(await recordOf(services, kind, idOrName)) };
}

/**
 * Views of a list with `managedBy`, read in one set-based lookup for the whole list (a
 * 10,000-monitor page is one read, not one per row). `idOf` names each view's id (a target: its
 * name, which is its file key).
 */
export async function listWithManagedBy<T extends object>(
  services: OperationServices,
  kind: ManagedKind,
  views: readonly T[],
  idOf: (view: T) => string,
): Promise<(T & { managedBy?: ManagedBy })[]> {
  const lookup = services.config?.managedAmong;
  if (lookup === undefined || views.length === 0) return [...views];
  const names = views.map(idOf);
  const byKey = kind === 'alert-target';
  const records = await lookup(kind, byKey ? { keys: names } : { objectIds: names });
  const recordByName = new Map(records.map((r) => [byKey ? r.key : r.objectId, r]));
  return views.map((view) => ({ ...view, ...managedByOf(recordByName.get(idOf(view))) }));
}

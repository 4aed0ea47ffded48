import { AppError } from '../../lib/errors.ts';

/** A table and the tables its foreign keys point at. */
export interface TableNode {
  name: string;
  parents: readonly string[];
}

/**
 * Tables in an order where every table comes after the tables it references, so each
 * chunk's foreign keys already hold in the target. Ties break by name, so the order (and a
 * resumed run's) is the same every time. A reference cycle or a reference to a table that is
 * not in the list is a schema the copier cannot handle: INTERNAL, naming the tables.
 */
export function copyOrder<T extends TableNode>(tables: readonly T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const table of tables) {
    const missing = table.parents.filter((parent) => !byName.has(parent));
    if (missing.length > 0) {
      throw new AppError(
        'INTERNAL',
        `table ${table.name} references ${missing.join(', ')}, which the source does not have`,
      );
    }
  }
  const ordered: T[] = [];
  const placed = new Set<string>();
  const pending = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (pending.length > 0) {
    const index = pending.findIndex((t) => t.parents.every((parent) => placed.has(parent)));
    if (index === -1) {
      throw new AppError(
        'INTERNAL',
        `foreign keys form a cycle among ${pending.map((t) => t.name).join(', ')}`,
      );
    }
    const [next] = pending.splice(index, 1);
    if (next === undefined) break;
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

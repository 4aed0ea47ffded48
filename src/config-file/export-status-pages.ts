import type { StatusPage } from '../domain/status-page.ts';
import { compare } from './canonical.ts';
import { escapeReferences } from './export-values.ts';

/**
 * Page entries by slug (their key): monitors by their key in the file, defaults (no
 * description, no domains, flags off) left out. A monitor id no monitor has any more cannot be
 * named by key and is left out (warned).
 */
export function statusPageEntries(
  pages: readonly StatusPage[],
  monitorKeys: ReadonlyMap<string, string>,
  warnings: string[],
): Record<string, unknown>[] {
  return [...pages]
    .sort((a, b) => compare(a.slug, b.slug))
    .map((page) => {
      const keysOf = (ids: readonly string[]) =>
        ids.flatMap((id) => {
          const key = monitorKeys.get(id);
          if (key === undefined)
            warnings.push(
              `status page ${page.slug}: monitor ${id} no longer exists and was left out`,
            );
          return key ?? [];
        });
      const entry: Record<string, unknown> = { slug: page.slug, title: page.title };
      if (page.description !== null) entry.description = page.description;
      if (page.customDomains.length > 0) entry.customDomains = page.customDomains;
      if (page.groups.length > 0)
        entry.groups = page.groups.map((g) => ({ name: g.name, monitors: keysOf(g.monitorIds) }));
      if (page.showRegions) entry.showRegions = true;
      if (page.showDetails) entry.showDetails = true;
      const badges = keysOf(page.badgeMonitorIds);
      if (badges.length > 0) entry.badgeMonitors = badges;
      return escapeReferences(entry) as Record<string, unknown>;
    });
}

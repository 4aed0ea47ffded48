import type { StatusPage } from '../../domain/status-page.ts';
import { pageMonitorIds } from '../../domain/status-page.ts';
import type { Clock } from '../../lib/clock.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, notFound, validationError } from '../../lib/errors.ts';
import type { Store } from '../../store/types.ts';
import type { StatusPageCreate, StatusPagePatch } from './status-page-input.ts';

export interface StatusPageServiceDeps {
  store: Pick<
    Store,
    | 'insertStatusPage'
    | 'updateStatusPage'
    | 'getStatusPage'
    | 'getStatusPageBySlug'
    | 'listStatusPages'
    | 'deleteStatusPage'
    | 'getMonitor'
  >;
  clock: Clock;
  newId: () => string;
  /** Runs after every write (the public pages' cache drops that page). */
  onChange?: (page: StatusPage) => void;
}

/** The status page verbs; a page is named by id or slug. */
export interface StatusPageService {
  list(): Promise<StatusPage[]>;
  get(idOrSlug: string): Promise<StatusPage>;
  /** VALIDATION naming every bad field (unknown monitors included); CONFLICT naming a taken slug or domain. */
  create(input: StatusPageCreate): Promise<StatusPage>;
  /**
   * Replaces the fields given. Monitors deleted since the page was saved are dropped from it
   * quietly; newly named ones must exist.
   */
  update(idOrSlug: string, patch: StatusPagePatch): Promise<StatusPage>;
  /** NOT_FOUND when absent. */
  remove(idOrSlug: string): Promise<void>;
}

export function createStatusPageService(deps: StatusPageServiceDeps): StatusPageService {
  const { store, clock } = deps;

  async function find(idOrSlug: string): Promise<StatusPage> {
    const page =
      (await store.getStatusPage(idOrSlug)) ?? (await store.getStatusPageBySlug(idOrSlug));
    if (page === undefined) throw notFound('status page', idOrSlug);
    return page;
  }

  /** Unknown monitors: an issue each when newly named, dropped when the page already had them. */
  async function checkMonitors(page: StatusPage, known: ReadonlySet<string>): Promise<StatusPage> {
    const missing = new Set<string>();
    const ids = [...new Set([...pageMonitorIds(page), ...page.badgeMonitorIds])];
    for (const id of ids) if ((await store.getMonitor(id)) === undefined) missing.add(id);
    const issues: FieldIssue[] = [];
    page.groups.forEach((group, g) =>
      group.monitorIds.forEach((id, i) => {
        if (missing.has(id) && !known.has(id))
          issues.push({ path: `groups.${g}.monitorIds.${i}`, message: `no monitor ${id}` });
      }),
    );
    page.badgeMonitorIds.forEach((id, i) => {
      if (missing.has(id) && !known.has(id))
        issues.push({ path: `badgeMonitorIds.${i}`, message: `no monitor ${id}` });
    });
    if (issues.length > 0) throw validationError(issues);
    const keep = (id: string) => !missing.has(id);
    return {
      ...page,
      groups: page.groups.map((g) => ({ ...g, monitorIds: g.monitorIds.filter(keep) })),
      badgeMonitorIds: page.badgeMonitorIds.filter(keep),
    };
  }

  /** Taken slug or domains as CONFLICT with field paths, before the store's own check. */
  async function checkFree(page: StatusPage): Promise<void> {
    const others = (await store.listStatusPages()).filter((p) => p.id !== page.id);
    const issues: FieldIssue[] = [];
    if (others.some((p) => p.slug === page.slug))
      issues.push({ path: 'slug', message: `slug "${page.slug}" is taken` });
    page.customDomains.forEach((domain, i) => {
      const owner = others.find((p) => p.customDomains.includes(domain));
      if (owner !== undefined)
        issues.push({ path: `customDomains.${i}`, message: `${domain} serves "${owner.slug}"` });
    });
    const first = issues[0];
    if (first !== undefined)
      throw new AppError('CONFLICT', `${first.path}: ${first.message}`, { issues });
  }

  async function save(page: StatusPage, isNew: boolean, known: ReadonlySet<string>) {
    const checked = await checkMonitors(dedupe(page), known);
    await checkFree(checked);
    if (isNew) await store.insertStatusPage(checked);
    else await store.updateStatusPage(checked);
    deps.onChange?.(checked);
    return checked;
  }

  return {
    list: () => store.listStatusPages(),
    get: find,
    async create(input) {
      const now = clock.now();
      const page: StatusPage = {
        id: deps.newId(),
        slug: input.slug,
        title: input.title,
        description: emptyToNull(input.description),
        customDomains: input.customDomains,
        groups: input.groups,
        showRegions: input.showRegions,
        showDetails: input.showDetails,
        badgeMonitorIds: input.badgeMonitorIds,
        createdAt: now,
        updatedAt: now,
      };
      return save(page, true, new Set());
    },
    async update(idOrSlug, patch) {
      const before = await find(idOrSlug);
      const { description, ...rest } = patch;
      const page: StatusPage = {
        ...before,
        ...definedOnly(rest),
        ...(description === undefined ? {} : { description: emptyToNull(description) }),
        updatedAt: clock.now(),
      };
      const known = new Set([...pageMonitorIds(before), ...before.badgeMonitorIds]);
      return save(page, false, known);
    },
    async remove(idOrSlug) {
      const page = await find(idOrSlug);
      await store.deleteStatusPage(page.id);
      deps.onChange?.(page);
    },
  };
}

function emptyToNull(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}

/** `exactOptionalPropertyTypes`: a patch's absent fields must not overwrite with undefined. */
function definedOnly<T extends object>(patch: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Domains and badge ids once each (a repeated one is no error, just noise). */
function dedupe(page: StatusPage): StatusPage {
  return {
    ...page,
    customDomains: [...new Set(page.customDomains)],
    badgeMonitorIds: [...new Set(page.badgeMonitorIds)],
  };
}

import type { StatusPage } from '../../domain/status-page.ts';
import { pageMonitorIds } from '../../domain/status-page.ts';
import type { Clock } from '../../lib/clock.ts';
import { createTtlCache } from '../../lib/ttl-cache.ts';
import type { Store } from '../../store/types.ts';
import type { PublicMonitor, StatusPageModel } from '../../status-pages/model.ts';
import type { PageLoader } from './page-loader.ts';

/** How long a page's model is served before it is rebuilt, by default. */
export const DEFAULT_PAGE_TTL_MS = 10_000;

/** Every page's settings, indexed the ways requests look for them. */
interface Directory {
  bySlug: Map<string, StatusPage>;
  byHost: Map<string, string>;
  /** Monitor id → slugs of the pages that show it or give it a badge. */
  byMonitor: Map<string, string[]>;
}

/**
 * The public side of status pages: models rebuilt at most once per `ttlMs` per page
 * (single-flight), and the page directory likewise, so a flood of requests reads the store
 * once per period at most. Unknown slugs, hosts and monitors are answered from memory.
 */
export interface PublicPages {
  /** The model of the page with this slug; undefined when no page has it. */
  bySlug(slug: string): Promise<StatusPageModel | undefined>;
  /** The slug a Host serves at `/` (synchronous: used while routing); undefined when none. */
  slugForHost(host: string): string | undefined;
  /** A monitor as its badges show it; undefined unless a page shows it or opts it in. */
  badgeMonitor(monitorId: string): Promise<PublicMonitor | undefined>;
  /** A page was created, changed or deleted: everything is rebuilt on the next request. */
  pagesChanged(): void;
  /** Something the pages showing this monitor publish changed (a public incident update). */
  monitorChanged(monitorId: string): void;
  /** Loads the directory, so custom domains route from the first request. */
  ready(): Promise<void>;
}

export function createPublicPages(deps: {
  store: Pick<Store, 'listStatusPages'>;
  load: PageLoader;
  clock: Clock;
  ttlMs?: number;
  /** Told after each model rebuild with how long it took (logs; tests count rebuilds). */
  onRebuilt?: (slug: string, tookMs: number) => void;
}): PublicPages {
  const ttlMs = deps.ttlMs ?? DEFAULT_PAGE_TTL_MS;
  let snapshot: Directory = { bySlug: new Map(), byHost: new Map(), byMonitor: new Map() };
  const directory = createTtlCache<'all', Directory>({
    ttlMs,
    clock: deps.clock,
    load: async () => {
      snapshot = index(await deps.store.listStatusPages());
      return snapshot;
    },
  });
  const models = createTtlCache<string, StatusPageModel | undefined>({
    ttlMs,
    clock: deps.clock,
    load: async (slug) => {
      const page = (await directory.get('all')).bySlug.get(slug);
      if (page === undefined) return undefined;
      const started = performance.now();
      const model = await deps.load(page);
      deps.onRebuilt?.(slug, performance.now() - started);
      return model;
    },
  });

  return {
    async bySlug(slug) {
      // Unknown slugs are not cached one by one (that would let anyone grow the cache).
      if (!(await directory.get('all')).bySlug.has(slug)) return undefined;
      return models.get(slug);
    },
    slugForHost(host) {
      // Keeps the directory fresh for later requests; this one uses what is known now.
      void directory.get('all').catch(() => undefined);
      return snapshot.byHost.get(normaliseHost(host));
    },
    async badgeMonitor(monitorId) {
      const slugs = (await directory.get('all')).byMonitor.get(monitorId) ?? [];
      for (const slug of slugs) {
        const model = await models.get(slug);
        const monitor =
          model?.groups.flatMap((g) => g.monitors).find((m) => m.id === monitorId) ??
          model?.badgeMonitors.find((m) => m.id === monitorId);
        if (monitor !== undefined) return monitor;
      }
      return undefined;
    },
    pagesChanged() {
      directory.clear();
      models.clear();
      void directory.get('all').catch(() => undefined);
    },
    monitorChanged(monitorId) {
      for (const slug of snapshot.byMonitor.get(monitorId) ?? []) models.invalidate(slug);
    },
    async ready() {
      await directory.get('all');
    },
  };
}

/** `Status.Example.com:443` → `status.example.com`. */
export function normaliseHost(host: string): string {
  const withoutPort = host.startsWith('[') ? host : host.replace(/:\d+$/, '');
  return withoutPort.replace(/\.$/, '').toLowerCase();
}

function index(pages: readonly StatusPage[]): Directory {
  const directory: Directory = { bySlug: new Map(), byHost: new Map(), byMonitor: new Map() };
  for (const page of pages) {
    directory.bySlug.set(page.slug, page);
    for (const host of page.customDomains) directory.byHost.set(host, page.slug);
    for (const id of new Set([...pageMonitorIds(page), ...page.badgeMonitorIds])) {
      directory.byMonitor.set(id, [...(directory.byMonitor.get(id) ?? []), page.slug]);
    }
  }
  return directory;
}

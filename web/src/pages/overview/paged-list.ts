/**
 * The rows of the overview the browser holds: pages of PAGE_SIZE fetched as the list scrolls
 * to them, and dropped once far from the viewport, so memory and server work follow what is
 * shown, not how many monitors exist. `total` sizes the scroll area before any row is loaded.
 */
import { api } from '../../api/client.ts';
import type { OverviewItem, OverviewPage } from '../../api/overview-types.ts';
import { queryOfView } from './overview-query.ts';
import type { OverviewView } from './overview-query.ts';

/** Small pages: one answers fast and covers a tall screen with its overscan (~26 KiB of JSON for 50 new monitors). */
export const PAGE_SIZE = 50;
/** Pages kept on either side of the ones in view (scrolling back needs no refetch). */
const KEEP_AROUND = 1;

export type ListMeta = Omit<OverviewPage, 'items' | 'offset'>;

export class PagedList {
  private readonly pages = new Map<number, OverviewItem[]>();
  private readonly inFlight = new Map<number, AbortController>();
  private wanted: { first: number; last: number } = { first: 0, last: 0 };
  meta: ListMeta | undefined;
  error: Error | undefined;
  private closed = false;

  constructor(
    private readonly view: OverviewView,
    /** Called whenever rows, meta or error change. */
    private readonly onChange: () => void,
  ) {}

  row(index: number): OverviewItem | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Every loaded row's id, for the live subscription. */
  loadedIds(): string[] {
    const ids: string[] = [];
    for (const page of this.pages.values()) for (const item of page) ids.push(item.id);
    return ids;
  }

  /** The rows from `start` to `end` (inclusive) are on screen: fetch what is missing. */
  show(start: number, end: number): void {
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor(Math.max(start, end) / PAGE_SIZE);
    this.wanted = { first, last };
    for (let page = first; page <= last; page++) {
      if (!this.pages.has(page) && !this.inFlight.has(page)) void this.fetch(page);
    }
    // A jump (scrolling far, a keyboard Home/End) leaves requests behind: stop them, so the
    // pages now in view do not queue behind answers nobody will see.
    for (const [page, controller] of [...this.inFlight]) {
      if (page >= first - KEEP_AROUND && page <= last + KEEP_AROUND) continue;
      controller.abort();
      this.inFlight.delete(page);
    }
    let dropped = false;
    for (const page of [...this.pages.keys()]) {
      if (page < first - KEEP_AROUND || page > last + KEEP_AROUND) {
        this.pages.delete(page);
        dropped = true;
      }
    }
    if (dropped) this.onChange();
  }

  /** Fetches the pages in view again (after a gap in the live stream, or a monitor added). */
  refresh(): void {
    for (let page = this.wanted.first; page <= this.wanted.last; page++) {
      this.inFlight.get(page)?.abort();
      this.inFlight.delete(page);
      void this.fetch(page);
    }
  }

  /** Fetches again, now, the page holding this monitor (its settings changed, e.g. paused). */
  refreshRowOf(id: string): boolean {
    for (const [page, items] of this.pages) {
      if (!items.some((item) => item.id === id)) continue;
      this.inFlight.get(page)?.abort();
      this.inFlight.delete(page);
      void this.fetch(page);
      return true;
    }
    return false;
  }

  /** Applies a live change to a loaded row in place; false when the row is not loaded. */
  patch(id: string, change: (item: OverviewItem) => OverviewItem): boolean {
    for (const [key, page] of this.pages) {
      const index = page.findIndex((item) => item.id === id);
      const item = page[index];
      if (item === undefined) continue;
      const next = [...page];
      next[index] = change(item);
      this.pages.set(key, next);
      // An answer already on its way was read before this change and would undo it: ask again.
      const stale = this.inFlight.get(key);
      if (stale !== undefined) {
        stale.abort();
        this.inFlight.delete(key);
        void this.fetch(key);
      }
      this.onChange();
      return true;
    }
    return false;
  }

  close(): void {
    this.closed = true;
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }

  private async fetch(page: number): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(page, controller);
    try {
      const answer = await api.get<OverviewPage>(
        '/api/v1/overview',
        queryOfView(this.view, page * PAGE_SIZE, PAGE_SIZE),
        controller.signal,
      );
      if (this.closed || controller.signal.aborted) return;
      const { items, offset: _offset, ...meta } = answer;
      this.meta = meta;
      this.error = undefined;
      if (page >= this.wanted.first - KEEP_AROUND && page <= this.wanted.last + KEEP_AROUND)
        this.pages.set(page, items);
      this.onChange();
    } catch (reason) {
      if (this.closed || controller.signal.aborted) return;
      this.error = reason instanceof Error ? reason : new Error(String(reason));
      this.onChange();
    } finally {
      if (this.inFlight.get(page) === controller) this.inFlight.delete(page);
    }
  }
}

import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { navigate, useSearchParams } from '../../state/router.ts';
import { canEdit, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { MonitorRow } from './monitor-row.tsx';
import { OverviewToolbar } from './overview-toolbar.tsx';
import { paramsOfView, viewFromParams, viewKey } from './overview-query.ts';
import type { OverviewView } from './overview-query.ts';
import { PagedList } from './paged-list.ts';
import { useLiveRows } from './use-live-rows.ts';
import { useVirtualRows } from './use-virtual-rows.ts';
import './overview.css';

/** Relative times ("12s ago") are redrawn this often. */
const CLOCK_TICK_MS = 10_000;

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function hasFilters(view: OverviewView): boolean {
  return (
    view.q !== '' ||
    view.group !== '' ||
    view.tag !== '' ||
    view.region !== '' ||
    view.states.length > 0
  );
}

/** Moves keyboard focus to a row (its link when loaded), scrolling it into view first. */
function focusRow(scroller: HTMLElement, index: number): void {
  const row = scroller.querySelector<HTMLElement>(`[data-index="${index}"]`);
  (row?.querySelector<HTMLElement>('a') ?? row)?.focus();
}

/**
 * Every monitor at any scale: the server filters, sorts and pages; the browser renders only the
 * rows near the viewport and keeps exactly those live.
 */
export function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const view = viewFromParams(params);
  const key = viewKey(view);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const list = useMemo(() => new PagedList(view, () => rerender(0)), [key]);
  useEffect(() => () => list.close(), [list]);
  const user = useStore(session);
  const editor = user.kind === 'signed-in' && canEdit(user.user);
  const now = useNow();

  const scroller = useRef<HTMLDivElement>(null);
  // The row a key press moved to but whose focus waits for the next frame: a second key
  // pressed before then moves on from it, so fast presses never lose a step.
  const pendingFocus = useRef<number | undefined>(undefined);
  const total = list.meta?.total ?? 0;
  const rows = useVirtualRows(total, scroller);
  const first = rows.items[0]?.index ?? 0;
  const last = rows.items[rows.items.length - 1]?.index ?? 0;

  // A new view starts at the top and loads its first page; scrolling loads the rest.
  useEffect(() => {
    rows.virtualizer.scrollToOffset(0);
    list.show(0, 0);
  }, [list]);
  useEffect(() => {
    if (list.meta !== undefined) list.show(first, last);
  }, [list, first, last, list.meta === undefined]);

  const renderedIds = rows.items
    .map((item) => list.row(item.index)?.id)
    .filter((id): id is string => id !== undefined);
  useLiveRows(list, renderedIds);

  const change = (next: OverviewView): void => setParams(paramsOfView(next));

  const onKeyDown = (event: KeyboardEvent): void => {
    const current = (event.target as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    if (current === null || current === undefined || scroller.current === null) return;
    const index = pendingFocus.current ?? Number(current.dataset.index);
    const down = event.key === 'ArrowDown' || event.key === 'j';
    const up = event.key === 'ArrowUp' || event.key === 'k';
    if (event.key === 'Enter' && event.target === current) {
      const id = list.row(index)?.id;
      if (id !== undefined) navigate(`/monitors/${encodeURIComponent(id)}`);
      return;
    }
    if (!down && !up) return;
    event.preventDefault();
    const next = Math.min(Math.max(0, index + (down ? 1 : -1)), total - 1);
    rows.virtualizer.scrollToIndex(next);
    const element = scroller.current;
    pendingFocus.current = next;
    requestAnimationFrame(() => {
      if (pendingFocus.current !== next) return;
      pendingFocus.current = undefined;
      focusRow(element, next);
    });
  };

  const addButton = editor ? (
    <a class="button primary" href="/monitors/new">
      Add monitor
    </a>
  ) : undefined;

  return (
    <section class="overview">
      <PageHeader
        title="Monitors"
        {...(list.meta !== undefined
          ? { subtitle: `${total} ${total === 1 ? 'monitor' : 'monitors'}` }
          : {})}
        {...(addButton !== undefined ? { actions: addButton } : {})}
      />
      <OverviewToolbar
        view={view}
        counts={list.meta?.counts}
        groups={list.meta?.groups ?? []}
        tags={list.meta?.tags ?? []}
        regions={list.meta?.regions ?? []}
        onChange={change}
      />
      <ErrorNote error={list.error} />
      {list.meta === undefined && list.error === undefined && <Loading />}
      {list.meta !== undefined && total === 0 && (
        <Empty>
          {hasFilters(view) ? (
            <>
              No monitor matches these filters.{' '}
              <button type="button" class="button subtle" onClick={() => setParams({})}>
                Clear filters
              </button>
            </>
          ) : (
            <>No monitors yet. {editor && <a href="/monitors/new">Add a monitor</a>}</>
          )}
        </Empty>
      )}
      <div class="overview-head" aria-hidden="true" hidden={total === 0}>
        <span>State</span>
        <span>Monitor</span>
        <span>90 days</span>
        <span>Latency (24 h)</span>
        <span>Last check</span>
        <span>Regions</span>
      </div>
      <div
        // Collapsed, never `hidden`, while empty or loading: a hidden box fires no scroll event
        // when its offset resets, so the list would keep the old view's position and load
        // (and show, off screen) the old view's rows instead of the new view's first page.
        class={total === 0 ? 'overview-scroll empty' : 'overview-scroll'}
        ref={scroller}
        aria-hidden={total === 0}
        role="list"
        aria-label={`Monitors (${total})`}
        onKeyDown={onKeyDown}
      >
        <div class="overview-space" style={{ height: `${rows.totalSize}px` }}>
          {rows.items.map((virtual) => {
            const item = list.row(virtual.index);
            return (
              <div
                key={item?.id ?? `slot-${virtual.index}`}
                class="overview-slot"
                role="listitem"
                tabIndex={-1}
                data-index={virtual.index}
                style={{
                  transform: `translateY(${virtual.start}px)`,
                  height: `${rows.rowHeight}px`,
                }}
              >
                {item === undefined ? (
                  <div class="overview-row placeholder muted">Loading…</div>
                ) : (
                  <MonitorRow item={item} now={now} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

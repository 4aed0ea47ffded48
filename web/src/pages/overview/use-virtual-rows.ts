import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
} from '@tanstack/virtual-core';
import type { VirtualItem } from '@tanstack/virtual-core';
import type { RefObject } from 'preact';
import { useLayoutEffect, useMemo, useReducer, useState, useEffect } from 'preact/hooks';

/** Rows stack on narrow screens, so they are taller there (kept in step with overview.css). */
const NARROW_QUERY = '(max-width: 720px)';
const ROW_HEIGHT = { wide: 56, narrow: 148 } as const;

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW_QUERY);
    const update = (): void => setNarrow(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}

export interface VirtualRows {
  virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>;
  items: VirtualItem[];
  totalSize: number;
  rowHeight: number;
}

/**
 * @tanstack/virtual-core driven from Preact: only the rows near the viewport are rendered, and
 * `count` (the server's total) sizes the scroll area. Rows have a fixed height per layout, so
 * nothing is measured while scrolling.
 */
export function useVirtualRows(
  count: number,
  scroller: RefObject<HTMLDivElement | null>,
): VirtualRows {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const rowHeight = useNarrow() ? ROW_HEIGHT.narrow : ROW_HEIGHT.wide;
  const virtualizer = useMemo(
    () =>
      new Virtualizer<HTMLDivElement, HTMLDivElement>({
        count,
        getScrollElement: () => scroller.current,
        estimateSize: () => rowHeight,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        overscan: 6,
        onChange: () => rerender(0),
      }),
    [],
  );
  virtualizer.setOptions({
    ...virtualizer.options,
    count,
    estimateSize: () => rowHeight,
  });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  useLayoutEffect(() => {
    virtualizer.measure();
  }, [rowHeight]);
  return {
    virtualizer,
    items: virtualizer.getVirtualItems(),
    totalSize: virtualizer.getTotalSize(),
    rowHeight,
  };
}

/**
 * In-page timings of the dashboard overview, measured with the page's own clock
 * (performance.now) so the DevTools round trips of the driver do not count: each function
 * starts the action inside the page and waits, frame by frame, until the rows show its effect.
 */
import type { Page } from 'playwright-core';

const ACTION_LIMIT_MS = 30_000;

/** The little of the DOM these probes touch (the bench compiles without the DOM library). */
interface Node {
  className: string;
  value: string;
  offsetHeight: number;
  scrollTop: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): Node | null;
  focus(): void;
  click(): void;
  dispatchEvent(event: unknown): boolean;
}
interface Dom {
  document: {
    activeElement: unknown;
    querySelector(selector: string): Node | null;
    querySelectorAll(selector: string): ArrayLike<Node>;
  };
  location: { search: string };
  requestAnimationFrame(callback: () => void): number;
  Event: new (type: string, init: { bubbles: boolean }) => unknown;
}

/** Loads the overview and returns ms from navigation start until a row link can be focused. */
export async function timeToInteractiveRows(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(async (limit) => {
    const dom = globalThis as unknown as Dom;
    const start = performance.now();
    while (performance.now() - start < limit) {
      const link = dom.document.querySelector('.overview-row a');
      if (link !== null) {
        link.focus();
        if (dom.document.activeElement === link) return performance.now();
      }
      await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
    }
    throw new Error('no row became interactive');
  }, ACTION_LIMIT_MS);
}

/** Types into the search box; ms from the last keystroke until only matching rows show. */
export async function timeSearch(page: Page, text: string, expectFirst: string): Promise<number> {
  return page.evaluate(
    async ({ text, expectFirst, limit }) => {
      const dom = globalThis as unknown as Dom;
      const input = dom.document.querySelector('#overview-search');
      if (input === null) throw new Error('no search box');
      input.focus();
      input.value = text;
      const start = performance.now();
      input.dispatchEvent(new dom.Event('input', { bubbles: true }));
      while (performance.now() - start < limit) {
        const first = dom.document.querySelector('[data-index="0"] .overview-row');
        const rows = dom.document.querySelectorAll('.overview-row[data-monitor]').length;
        if (first?.getAttribute('data-monitor') === expectFirst && rows <= 2)
          return performance.now() - start;
        await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
      }
      throw new Error('search did not update the rows');
    },
    { text, expectFirst, limit: ACTION_LIMIT_MS },
  );
}

/** Clicks the first state chip; ms until every shown row is in that state. */
export async function timeStateFilter(page: Page): Promise<{ ms: number; state: string }> {
  return page.evaluate(async (limit) => {
    const dom = globalThis as unknown as Dom;
    const chip = dom.document.querySelector('.state-chips .chip');
    if (chip === null) throw new Error('no state chip');
    const state = (chip.className.match(/state-(\w+)/) ?? [])[1] ?? '';
    const start = performance.now();
    chip.click();
    while (performance.now() - start < limit) {
      const rows = Array.from(dom.document.querySelectorAll('.overview-row[data-state]'));
      if (
        chip.getAttribute('aria-pressed') === 'true' &&
        rows.length > 0 &&
        rows.every((row) => row.getAttribute('data-state') === state) &&
        dom.document.querySelector('.overview-row.placeholder') === null
      )
        return { ms: performance.now() - start, state };
      await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
    }
    throw new Error('the state filter did not update the rows');
  }, ACTION_LIMIT_MS);
}

/** Picks a sort in the toolbar; ms until the re-sorted first rows (no placeholder) show. */
export async function timeSort(page: Page, sort: string): Promise<number> {
  return page.evaluate(
    async ({ sort, limit }) => {
      const dom = globalThis as unknown as Dom;
      const select = dom.document.querySelector('#overview-sort');
      if (select === null) throw new Error('no sort menu');
      const start = performance.now();
      select.value = sort;
      select.dispatchEvent(new dom.Event('change', { bubbles: true }));
      // A new sort is a new view: its rows are placeholders until the server's page arrives.
      await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
      while (performance.now() - start < limit) {
        if (
          dom.location.search.includes(`sort=${sort}`) &&
          dom.document.querySelector('[data-index="0"] .overview-row[data-monitor]') !== null &&
          dom.document.querySelector('.overview-row.placeholder') === null
        )
          return performance.now() - start;
        await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
      }
      throw new Error('the sort did not update the rows');
    },
    { sort, limit: ACTION_LIMIT_MS },
  );
}

/** Jumps the list to row `index`; ms until that row's data (not a placeholder) shows. */
export async function timeScrollTo(page: Page, index: number): Promise<number> {
  return page.evaluate(
    async ({ index, limit }) => {
      const dom = globalThis as unknown as Dom;
      const scroller = dom.document.querySelector('.overview-scroll');
      const probe = dom.document.querySelector('.overview-slot');
      if (scroller === null || probe === null) throw new Error('no list');
      const start = performance.now();
      scroller.scrollTop = index * probe.offsetHeight;
      while (performance.now() - start < limit) {
        if (
          dom.document.querySelector(`[data-index="${index}"] .overview-row[data-monitor]`) !== null
        )
          return performance.now() - start;
        await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
      }
      throw new Error(`row ${index} never showed`);
    },
    { index, limit: ACTION_LIMIT_MS },
  );
}

/** Starts waiting in the page for a row to show `state`; resolves with ms since `arm` ran. */
export async function armRowState(
  page: Page,
  name: string,
  state: string,
): Promise<() => Promise<number>> {
  await page.evaluate(
    ({ name, state, limit }) => {
      const dom = globalThis as unknown as Dom;
      const start = performance.now();
      const watch = async (): Promise<number> => {
        while (performance.now() - start < limit) {
          const row = dom.document.querySelector(`.overview-row[data-monitor="${name}"]`);
          if (row?.getAttribute('data-state') === state) return performance.now();
          await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
        }
        throw new Error(`row ${name} never became ${state}`);
      };
      (globalThis as unknown as { rowWatch: Promise<number> }).rowWatch = watch();
    },
    { name, state, limit: ACTION_LIMIT_MS },
  );
  return () =>
    page.evaluate(() => (globalThis as unknown as { rowWatch: Promise<number> }).rowWatch);
}

/**
 * Clicks the link of overview row `index`; ms until its monitor page shows the latency chart
 * (uPlot's canvas) and the uptime table's figures.
 */
export async function timeOpenMonitor(page: Page, index: number): Promise<number> {
  return page.evaluate(
    async ({ index, limit }) => {
      const dom = globalThis as unknown as Dom;
      const link = dom.document.querySelector(`[data-index="${index}"] .overview-row a`);
      if (link === null) throw new Error(`no row ${index}`);
      const start = performance.now();
      link.click();
      while (performance.now() - start < limit) {
        if (
          dom.document.querySelector('.monitor-page .uplot canvas') !== null &&
          dom.document.querySelector('.monitor-page .uptime-table td') !== null
        )
          return performance.now() - start;
        await new Promise<void>((resolve) => dom.requestAnimationFrame(resolve));
      }
      throw new Error('the monitor page did not show its chart and uptime');
    },
    { index, limit: ACTION_LIMIT_MS },
  );
}

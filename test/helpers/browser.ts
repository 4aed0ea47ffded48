import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CROSSCHECK_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export interface BrowserSession {
  browser: Browser;
  /** A fresh context (own cookies and storage) with one page that records console errors. */
  open(options?: {
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
  }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far: a clean page has none. */
  errors: string[];
}

export async function launchBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async open(options = {}) {
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1280, height: 800 },
        colorScheme: options.colorScheme ?? 'light',
      });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, context, errors };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** Runs axe-core in the page; returns the serious and critical violations (WCAG 2.1 AA). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (no inline scripts) allows.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[];
    }
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<AxeResult> };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

interface PageElement {
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  textContent: string | null;
}

/**
 * The DOM as functions passed to `page.evaluate` see it: the tests compile without DOM types, so
 * a test file that reads the page's document declares `declare const document: PageDocument;`.
 */
export interface PageDocument extends PageElement {
  documentElement: { scrollWidth: number; clientWidth: number };
  activeElement: PageElement | null;
}

/** What the keyboard reached: each focused element, and whether it showed a focus indicator. */
export interface FocusStop {
  element: string;
  visibleFocus: boolean;
}

/**
 * Presses Tab up to `steps` times from the top of the page and records each element that took
 * focus and whether it drew a focus indicator (an outline or a box-shadow). Stops when focus
 * leaves the page or comes back to the first element it reached.
 */
export async function tabThrough(page: Page, steps = 60): Promise<FocusStop[]> {
  // Page-side code as text: the tests compile without DOM types.
  const probe = `(() => {
    const el = document.activeElement;
    if (el === null || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    const name = (el.getAttribute('aria-label') || el.textContent || el.id || '').trim().slice(0, 40);
    return { element: el.tagName.toLowerCase() + (name ? ' "' + name + '"' : ''), visibleFocus: outline || shadow };
  })()`;
  await page.evaluate(
    'document.activeElement && document.activeElement.blur && document.activeElement.blur()',
  );
  const stops: FocusStop[] = [];
  for (let i = 0; i < steps; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate<FocusStop | null>(probe);
    if (stop === null) break;
    if (stops.length > 0 && stop.element === stops[0]?.element) break;
    stops.push(stop);
  }
  return stops;
}

import type { Browser, BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium.ts';
import { createSlots } from './slots.ts';

/** Default number of browser checks one node runs at once (each holds a page in Chromium). */
export const DEFAULT_BROWSER_CONCURRENCY = 2;
/** Longest a Chromium start may take before the check reports this node's fault. */
const LAUNCH_TIMEOUT_MS = 30_000;

export interface BrowserPoolOptions {
  /** Configured Chromium (`--chromium-path`, `CROSSCHECK_CHROMIUM`); else the usual places. */
  chromiumPath?: string | undefined;
  /** Browser checks at once; more wait for a slot within their own deadline. */
  concurrency?: number;
}

/** Settings of the fresh context a check gets. */
export interface ContextSettings {
  ignoreHTTPSErrors: boolean;
}

/** Why the pool could not give a check a page: this node's fault, never the target's. */
export interface Unavailable {
  unavailable: 'missing' | 'busy' | 'launch' | 'closed';
  message: string;
}

/**
 * One Chromium per node, started on the first browser check and reused; each check gets a fresh
 * incognito context (own cookies, cache and storage), closed when the check ends or its signal
 * aborts. Measured on a loaded 2-core machine (open a page, one expectation, 6 runs): launching
 * per check took 1.3-2.4 s a check, the shared browser 0.4-0.8 s after its first; isolation
 * comes from the context.
 */
export interface BrowserPool {
  withContext<T>(
    signal: AbortSignal,
    settings: ContextSettings,
    body: (context: BrowserContext) => Promise<T>,
  ): Promise<{ ran: T } | Unavailable>;
  /** Pages open now (for tests and metrics). */
  readonly busy: number;
  /** Closes the browser (its processes exit); later checks report the pool closed. */
  close(): Promise<void>;
}

export function createBrowserPool(options: BrowserPoolOptions = {}): BrowserPool {
  const slots = createSlots(options.concurrency ?? DEFAULT_BROWSER_CONCURRENCY);
  let launching: Promise<Browser | Unavailable> | undefined;
  let closed = false;

  const browser = (): Promise<Browser | Unavailable> => {
    launching ??= launch(options.chromiumPath).then((started) => {
      // A crashed browser is started again by the next check rather than failing them all.
      if (!('unavailable' in started)) started.once('disconnected', () => (launching = undefined));
      else launching = undefined;
      return started;
    });
    return launching;
  };

  return {
    get busy() {
      return slots.inUse;
    },
    async withContext(signal, settings, body) {
      if (closed) return { unavailable: 'closed', message: 'the browser pool is shut down' };
      const release = await slots.acquire(signal);
      if (release === 'aborted')
        return {
          unavailable: 'busy',
          message: 'browser busy: no free browser slot on this node before the deadline',
        };
      try {
        const started = await browser();
        if ('unavailable' in started) return started;
        if (closed) return { unavailable: 'closed', message: 'the browser pool is shut down' };
        // Aborted while Chromium started: no context to open (calls on a closing one may never
        // settle).
        signal.throwIfAborted();
        const context = await started.newContext({
          ignoreHTTPSErrors: settings.ignoreHTTPSErrors,
          acceptDownloads: false,
          serviceWorkers: 'block',
          viewport: { width: 1280, height: 800 },
        });
        // Closing the context makes every pending page call reject at once: that is how a
        // timeout or shutdown stops a transaction mid-step.
        const stop = (): void => void context.close().catch(() => undefined);
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
        try {
          return { ran: await settledOrAbandoned(body(context), signal) };
        } finally {
          signal.removeEventListener('abort', stop);
          await context.close().catch(() => undefined);
        }
      } finally {
        release();
      }
    },
    async close() {
      closed = true;
      const started = await launching;
      if (started !== undefined && !('unavailable' in started)) await started.close();
    },
  };
}

/**
 * How long a check's body may take to wind down once its signal aborted. Closing the context
 * normally ends every page call at once and the body reports why; a call made while the
 * context was closing can stay pending forever (seen with Chromium 156.0.8078.129), and the
 * check must end all the same.
 */
const WIND_DOWN_MS = 3_000;

/** The body's outcome, or a rejection if it is still running WIND_DOWN_MS after an abort. */
function settledOrAbandoned<T>(body: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const abandon = (): void => {
      timer = setTimeout(
        () => reject(new Error('the browser did not stop after the check was aborted')),
        WIND_DOWN_MS,
      );
    };
    if (signal.aborted) abandon();
    else signal.addEventListener('abort', abandon, { once: true });
    body.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abandon);
    });
  });
}

async function launch(configured: string | undefined): Promise<Browser | Unavailable> {
  const found = findChromium(configured);
  if ('missing' in found) return { unavailable: 'missing', message: found.missing };
  try {
    // Loaded on the first browser check: every CLI command and node imports the registry, and
    // most never run a browser.
    const { chromium } = await import('playwright-core');
    return await chromium.launch({
      executablePath: found.path,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: LAUNCH_TIMEOUT_MS,
      // The node handles its own signals and closes the pool on the way out.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { unavailable: 'launch', message: `Chromium did not start: ${reason ?? 'unknown'}` };
  }
}

import type { Page } from 'playwright-core';
import { shorten } from './failure.ts';

/** Largest screenshot kept with an incident; larger ones are re-taken smaller or dropped. */
export const MAX_SCREENSHOT_BYTES = 200 * 1024;
/** Console errors kept per check, and characters per error. */
export const MAX_CONSOLE_ERRORS = 20;
export const MAX_CONSOLE_ERROR_LENGTH = 300;

/**
 * JPEG settings tried in order until one fits the cap: lower quality first, then a smaller
 * area (the top-left half of the viewport at low quality).
 */
const ATTEMPTS: readonly { quality: number; clip?: { width: number; height: number } }[] = [
  { quality: 70 },
  { quality: 45 },
  { quality: 25 },
  { quality: 25, clip: { width: 640, height: 400 } },
];

/** A screenshot that fits the cap, or why there is none. */
export type Screenshot = { jpeg: Buffer } | { dropped: string };

/** Takes a JPEG of the viewport that fits `maxBytes`, or says why none was kept. */
export async function captureScreenshot(
  page: Page,
  timeoutMs: number,
  maxBytes = MAX_SCREENSHOT_BYTES,
): Promise<Screenshot> {
  let smallest = Infinity;
  for (const attempt of ATTEMPTS) {
    let jpeg: Buffer;
    try {
      jpeg = await page.screenshot({
        type: 'jpeg',
        quality: attempt.quality,
        timeout: timeoutMs,
        animations: 'disabled',
        ...(attempt.clip === undefined ? {} : { clip: { x: 0, y: 0, ...attempt.clip } }),
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
      return { dropped: `screenshot failed: ${shorten(reason, 120)}` };
    }
    if (jpeg.length <= maxBytes) return { jpeg };
    smallest = Math.min(smallest, jpeg.length);
  }
  return {
    dropped: `screenshot dropped: smallest attempt was ${smallest} bytes, over the ${maxBytes}-byte cap`,
  };
}

/** Console errors and uncaught exceptions of a page, capped in count and length. */
export interface ConsoleLog {
  readonly errors: readonly string[];
  /** Errors seen beyond the cap. */
  readonly dropped: number;
}

/**
 * Starts recording a page's console errors and uncaught exceptions. `scrub` removes secrets
 * (a page may echo what was typed into it) before anything is kept.
 */
export function recordConsoleErrors(page: Page, scrub: (text: string) => string): ConsoleLog {
  const errors: string[] = [];
  let dropped = 0;
  const keep = (text: string): void => {
    if (errors.length >= MAX_CONSOLE_ERRORS) dropped += 1;
    else errors.push(shorten(scrub(text), MAX_CONSOLE_ERROR_LENGTH));
  };
  page.on('console', (message) => {
    if (message.type() === 'error') keep(message.text());
  });
  page.on('pageerror', (error) => keep(`uncaught ${error.name}: ${error.message}`));
  return {
    get errors() {
      return errors;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** Replaces every occurrence of each secret with `***`. */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  if (secrets.length === 0) return (text) => text;
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

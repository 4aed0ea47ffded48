import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import type { BrowserSession } from './browser.ts';
import { startDaemon, tempDataDir } from './cli.ts';
import type { DaemonProcess } from './cli.ts';

// What the dashboard form tests share: the users, the shapes of the schemas the API hands the
// forms, signed-in API calls for setting a scene, and a daemon with an admin and a viewer.

export const ADMIN = { name: 'admin', password: 'correct horse battery' };
export const VIEWER = { name: 'watcher', password: 'viewer password 123' };

export interface JsonSchema {
  properties?: Record<string, unknown>;
  required?: string[];
  anyOf?: JsonSchema[];
}
export interface CheckTypeInfo {
  type: string;
  optionsSchema: JsonSchema;
  exclusiveOptions: string[][];
}
export interface ChannelInfo {
  type: string;
  settingsSchema: JsonSchema;
}

/** Signed-in API calls for setting the scene (the browser is what the tests judge). */
export async function apiAs(base: string, name: string, password: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(
      response.ok,
      `${method} ${route}: ${response.status} ${await response.clone().text()}`,
    );
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}

export async function signIn(page: Page, base: string, user: { name: string; password: string }) {
  await page.goto(base);
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Monitors' }).waitFor();
}

/** Element ids the form gives a field: `<prefix>-<path with dots as dashes>`. */
export function fieldId(prefix: string, fieldPath: string): string {
  return `#${prefix}-${fieldPath.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export async function assertNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
}

/** A daemon with an admin and a viewer, a browser, and the admin's API calls. */
export interface FormsScene {
  dataDir: string;
  daemon: DaemonProcess;
  base: string;
  browser: BrowserSession;
  admin: Awaited<ReturnType<typeof apiAs>>;
  close(): Promise<void>;
}

export async function startFormsScene(): Promise<FormsScene> {
  const dataDir = tempDataDir();
  const daemon = await startDaemon(dataDir);
  const base = daemon.apiUrl;
  const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
  const setup = await fetch(`${base}/api/v1/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupToken, ...ADMIN }),
  });
  assert.equal(setup.status, 201, await setup.text());
  const admin = await apiAs(base, ADMIN.name, ADMIN.password);
  await admin('POST', '/api/v1/users', { ...VIEWER, role: 'viewer' });
  const browser = await launchBrowser();
  return {
    dataDir,
    daemon,
    base,
    browser,
    admin,
    close: async () => {
      await browser.close();
      await daemon.stop('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

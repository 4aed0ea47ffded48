import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { LoopbackCluster } from './loopback-cluster.ts';

/** Shared by the dashboard's Nodes and Settings browser tests. */
export const ADMIN = { name: 'admin', password: 'correct horse battery' };

/** Starts an in-process coordinator and creates its first admin with the setup token. */
export async function coordinatorWithAdmin(
  cluster: LoopbackCluster,
): Promise<{ apiUrl: string; dataDir: string }> {
  const coordinator = await cluster.startCoordinator('coord', 'eu');
  const apiUrl = coordinator.node.apiUrl;
  await createFirstAdmin(apiUrl, coordinator.dataDir);
  return { apiUrl, dataDir: coordinator.dataDir };
}

/** Creates a node's first admin (`ADMIN`) with the setup token its data dir holds. */
export async function createFirstAdmin(apiUrl: string, dataDir: string): Promise<void> {
  const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
  const setup = await fetch(`${apiUrl}/api/v1/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupToken, ...ADMIN }),
  });
  assert.equal(setup.status, 201, await setup.text());
}

/** Chromium logs every 4xx answer as a console error; the tests cause some on purpose. */
export function unexpected(errors: string[]): string[] {
  return errors.filter((text) => !/status of 40[0-9]/.test(text));
}

/** Signs in on the sign-in page the app shows for any URL while signed out. */
export async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function noHorizontalScroll(page: Page): Promise<boolean> {
  // A string, evaluated in the page: tests are type-checked without the DOM library.
  const fits = await page.evaluate(
    'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
  );
  return fits === true;
}

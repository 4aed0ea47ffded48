import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import { ADMIN, createFirstAdmin } from '../helpers/dashboard-admin.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { crosscheckJson, runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

// The dashboard against a real daemon with objects applied from a config file: the edit form of
// each managed kind says which file manages it before any edit, an unmanaged object's does not,
// and the warnings a save or delete answers with are shown on the page it lands on.

const NOTICE =
  /Managed by crosscheck\.yaml \(key (\S+)\); the next apply restores the file’s version\./;

const FILE = [
  'version: 1',
  'alertTargets:',
  '  - { name: ops, type: webhook, settings: { url: "http://127.0.0.1:9/hook" } }',
  'monitors:',
  '  - { name: paged, type: tcp, target: "127.0.0.1:9", paused: true }',
  'maintenance:',
  '  - { name: deploys, monitors: [paged], cron: "0 3 * * 0", durationMs: 2h, timezone: UTC }',
  'statusPages:',
  '  - { slug: public, title: Acme, groups: [{ name: Core, monitors: [paged] }] }',
  '',
].join('\n');

async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('User name').fill(ADMIN.name);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Monitors' }).waitFor();
}

/** The managed-by notice's text on the page, or undefined when there is none. */
async function noticeText(page: Page): Promise<string | undefined> {
  const notice = page.locator('.managed-notice');
  if ((await notice.count()) === 0) return undefined;
  return (await notice.textContent()) ?? '';
}

describe('managed objects in the dashboard (Chromium)', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let browser: BrowserSession;
  let base: string;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    daemon = await startDaemon(dataDir);
    base = daemon.apiUrl;
    await createFirstAdmin(base, dataDir);
    const file = path.join(dataDir, 'crosscheck.yaml');
    fs.writeFileSync(file, FILE);
    const applied = await runCrosscheck(['apply', '-f', file], env());
    assert.equal(applied.code, 0, applied.stderr);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the notice on each managed kind’s edit form, and none on an unmanaged one', async () => {
    const monitors = await crosscheckJson<{ id: string; name: string }[]>(
      ['monitor', 'list'],
      env(),
    );
    const paged = monitors.find((m) => m.name === 'paged');
    assert.ok(paged);
    const manual = await crosscheckJson<{ id: string }>(
      ['monitor', 'add', '--name', 'manual', '--type', 'tcp', '--target', '127.0.0.1:9'],
      env(),
    );
    const { page, errors } = await browser.open();
    await signIn(page, base);

    await page.goto(`${base}/monitors/${paged.id}/edit`);
    await page.getByRole('button', { name: 'Save monitor' }).waitFor();
    assert.match((await noticeText(page)) ?? '', NOTICE);
    assert.deepEqual(await seriousA11yViolations(page), []);
    // Saving still works and lands on the monitor's page with the API's warning.
    await page.getByRole('button', { name: 'Save monitor' }).click();
    const warning = page.locator('.managed-warnings');
    await warning.waitFor();
    assert.match(
      (await warning.textContent()) ?? '',
      /monitor \S+ is managed by the config file crosscheck\.yaml \(key paged\)/,
    );
    await page.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await warning.count(), 0);

    await page.goto(`${base}/monitors/${manual.id}/edit`);
    await page.getByRole('button', { name: 'Save monitor' }).waitFor();
    assert.equal(await noticeText(page), undefined);

    await page.goto(`${base}/alerting/targets/ops`);
    await page.locator('.managed-notice').waitFor();
    assert.match((await noticeText(page)) ?? '', /key ops\)/);

    await page.goto(`${base}/maintenance`);
    await page.getByRole('button', { name: 'Edit deploys' }).click();
    await page.getByRole('heading', { name: 'Edit deploys' }).waitFor();
    assert.match((await noticeText(page)) ?? '', /key deploys\)/);

    const pages = await crosscheckJson<{ id: string; slug: string }[]>(
      ['status-page', 'list'],
      env(),
    );
    const publicPage = pages.find((p) => p.slug === 'public');
    assert.ok(publicPage);
    await page.goto(`${base}/status-pages/${publicPage.id}`);
    await page.locator('.managed-notice').waitFor();
    assert.match((await noticeText(page)) ?? '', /key public\)/);
    assert.deepEqual(errors, []);
  });

  it('shows the warning a delete of a managed status page answers with', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, base);
    await page.goto(`${base}/status-pages`);
    await page.getByRole('button', { name: 'Delete Acme' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, delete' }).click();
    const warning = page.locator('.managed-warnings');
    await warning.waitFor();
    assert.match(
      (await warning.textContent()) ?? '',
      /status-page \S+ was managed by the config file crosscheck\.yaml \(key public\); the next crosscheck apply of that file re-creates it/,
    );
    assert.deepEqual(errors, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import { qrDrawing } from '../../web/src/lib/qr-matrix.ts';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import {
  ADMIN,
  coordinatorWithAdmin,
  noHorizontalScroll,
  signIn,
  unexpected,
} from '../helpers/dashboard-admin.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { localApi } from '../helpers/local-api.ts';
import { loopbackCluster } from '../helpers/loopback-cluster.ts';

// The Settings and Status pages pages in Debian's Chromium against a real coordinator: API
// tokens shown once and revoked, TOTP enrolment from a QR code followed by a sign-in with the
// code, and a status page created with monitors picked from a search, edited and deleted.

const VIEWER = { name: 'vera', password: 'viewer password 1' };

describe('dashboard tokens, account and status pages in Chromium', { timeout: 90_000 }, () => {
  const cluster = loopbackCluster({ graceCount: 2 });
  let apiUrl: string;
  let coordinatorDir: string;
  let browser: BrowserSession;
  let target: TestServer;

  before(async () => {
    ({ apiUrl, dataDir: coordinatorDir } = await coordinatorWithAdmin(cluster));
    await localApi(coordinatorDir, apiUrl).request('POST', '/api/v1/users', {
      ...VIEWER,
      role: 'viewer',
    });
    target = await startHttpServer((_req, res) => res.end('ok'));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await cluster.cleanup();
    await target?.close();
  });

  it('creates an API token shown once, which works until revoked', async () => {
    const { page, errors } = await browser.open({ viewport: { width: 390, height: 844 } });
    await page.goto(`${apiUrl}/settings/tokens`);
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.locator('#token-name').fill('ci-script');
    await page.locator('#token-access').selectOption('write');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('tr[data-token="ci-script"]').waitFor();
    const token = await page.locator('#created-token').inputValue();
    const asBearer = () =>
      fetch(`${apiUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await asBearer()).status, 200);
    assert.ok(await noHorizontalScroll(page), 'no horizontal scroll at 390 px');
    assert.deepEqual(await seriousA11yViolations(page), []);

    // Shown once: a reload lists the token without its value.
    await page.reload();
    await page.locator('tr[data-token="ci-script"]').waitFor();
    assert.equal(await page.locator('#created-token').count(), 0);
    assert.equal((await page.content()).includes(token), false);

    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.locator('tr[data-token="ci-script"]', { hasText: 'revoked' }).waitFor();
    assert.equal((await asBearer()).status, 401);
    assert.deepEqual(unexpected(errors), []);
  });

  it('enrols TOTP with a code and then signs in with the second factor', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${apiUrl}/settings/account`);
    await signIn(page, VIEWER);
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const uri = await page.locator('#totp-uri').inputValue();
    assert.match(uri, /^otpauth:\/\/totp\//);
    // The QR code is shown, named for screen readers, and encodes exactly the URI.
    const qr = page.getByRole('img', { name: /QR code of the otpauth URI/ });
    assert.ok(await qr.isVisible());
    const box = await qr.boundingBox();
    assert.ok(box !== null && box.width >= 150, `QR code ${box?.width ?? 0}px wide`);
    assert.equal(await qr.locator('path').getAttribute('d'), qrDrawing(uri).path);
    // The code the app would show: computed from the URI by otpauth, not by the server's code.
    const totp = OTPAuth.URI.parse(uri);
    assert.ok(totp instanceof OTPAuth.TOTP);
    assert.equal(totp.secret.base32, await page.locator('#totp-secret').inputValue());
    const codeAt = (timestamp: number) => totp.generate({ timestamp });
    assert.deepEqual(await seriousA11yViolations(page), []);

    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Code from the app').fill(codeAt(Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.locator('[data-totp="on"]').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').fill(VIEWER.name);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A code is used once: sign in with the next period's (the server accepts one step ahead).
    await page.getByLabel('Authenticator code').fill(codeAt(Date.now() + 30_000));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    assert.deepEqual(unexpected(errors), []);
  });

  it('creates, edits and deletes a status page with monitors picked from a search', async () => {
    const api = localApi(coordinatorDir, apiUrl);
    for (const name of ['shop-web', 'shop-api', 'blog'])
      await api.request('POST', '/api/v1/monitors', {
        name,
        type: 'http',
        target: `${target.origin}/${name}`,
      });
    const { page, errors } = await browser.open();
    await page.goto(`${apiUrl}/status-pages`);
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'New status page' }).click();
    await page.locator('#sp-title').fill('Shop status');
    await page.locator('#sp-slug').fill('Not A Slug');
    await page.locator('#group-0-search').fill('shop');
    await page.getByRole('button', { name: 'Add shop-api to group 1' }).click();
    await page.getByRole('button', { name: 'Add shop-web to group 1' }).click();
    assert.equal(await page.getByRole('button', { name: /Add blog/ }).count(), 0);
    await page.getByRole('button', { name: 'Create status page' }).click();
    // The API's field message is shown next to the slug.
    await page.locator('#sp-slug-error').waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.locator('#sp-slug').fill('shop');
    await page.getByRole('button', { name: 'Create status page' }).click();

    const row = page.locator('tr[data-status-page="shop"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Shop status.*\/status\/shop.*2/s);
    assert.equal(
      await row.getByRole('link', { name: '/status/shop' }).getAttribute('href'),
      '/status/shop',
    );
    const publicPage = await fetch(`${apiUrl}/status/shop`);
    assert.equal(publicPage.status, 200);
    assert.match(await publicPage.text(), /Shop status/);
    assert.deepEqual(await seriousA11yViolations(page), []);

    await row.getByRole('link', { name: 'Shop status' }).click();
    await page.locator('#sp-title').fill('Shop');
    await page.getByRole('button', { name: 'Remove shop-web from group 1' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    // The old title contains the new one, so wait for the old one to be gone.
    await row.filter({ hasNotText: 'Shop status' }).waitFor();
    const stored = await api.request<{ title: string; groups: { monitorIds: string[] }[] }>(
      'GET',
      '/api/v1/status-pages/shop',
    );
    assert.equal(stored.title, 'Shop');
    assert.equal(stored.groups[0]?.monitorIds.length, 1);

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No status pages yet.').waitFor();
    assert.equal((await fetch(`${apiUrl}/status/shop`)).status, 404);
    assert.deepEqual(unexpected(errors), []);
  });
});

/**
 * Takes the README's and docs' screenshots (docs/screenshots/*.png): a real daemon with a few
 * monitors against loopback targets, one made to fail so an incident opens, a status page with
 * a published update, then the main pages in Debian's Chromium — light and dark, desktop and
 * phone. Run: `node scripts/screenshots.ts` (about a minute).
 */
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { launchBrowser } from '../test/helpers/browser.ts';
import type { BrowserSession } from '../test/helpers/browser.ts';
import { startDaemon, tempDataDir, waitFor } from '../test/helpers/cli.ts';
import { localAuthHeaders } from '../test/helpers/local-api.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const ADMIN = { name: 'admin', password: 'screenshots-only-password' };
const DESKTOP = { width: 1360, height: 860 };
const PHONE = { width: 390, height: 844 };

let checkoutUp = true;
const target = createServer((request, response) => {
  const failing = request.url?.startsWith('/checkout') === true && !checkoutUp;
  setTimeout(
    () => {
      response.statusCode = failing ? 503 : 200;
      response.end(failing ? 'unavailable' : 'ok');
    },
    5 + Math.random() * 40,
  );
});
await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;

const dataDir = tempDataDir();
const daemon = await startDaemon(dataDir);
let browser: BrowserSession | undefined;

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${daemon.apiUrl}${url}`, {
    method,
    headers: { ...localAuthHeaders(dataDir), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

try {
  const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
  await api('POST', '/api/v1/auth/setup', { setupToken, ...ADMIN });

  const monitors = [
    ['homepage', 'web', '/'],
    ['checkout', 'web', '/checkout'],
    ['search', 'web', '/search'],
    ['login', 'web', '/login'],
    ['public-api', 'api', '/api/v1'],
    ['payments-api', 'api', '/payments'],
    ['webhooks', 'api', '/hooks'],
    ['docs', 'web', '/docs'],
  ].map(([name, group, route]) => ({
    op: 'create',
    monitor: { name, type: 'http', target: `${origin}${route}`, group, intervalMs: 10_000 },
  }));
  const created = await api<{ written: number; results: unknown[] }>(
    'POST',
    '/api/v1/monitors/bulk',
    {
      items: monitors,
      atomic: true,
    },
  );
  if (created.written !== monitors.length) throw new Error(JSON.stringify(created.results));
  interface Listed {
    items: { id: string; name: string; state?: string; status?: string }[];
  }
  const listed = await api<Listed>('GET', '/api/v1/monitors');
  const idOf = (name: string): string => {
    const found = listed.items.find((m) => m.name === name);
    if (found === undefined) throw new Error(`no monitor ${name}`);
    return found.id;
  };
  await waitFor(
    async () => {
      const status = await api<Listed>('GET', '/api/v1/status');
      return status.items.every((m) => m.status === 'up') ? true : undefined;
    },
    90_000,
    () => 'every monitor up',
    500,
  );

  checkoutUp = false;
  interface Incidents {
    items: { id: string; monitorId: string }[];
  }
  let lastSeen = '';
  const incident = await waitFor(
    async () => {
      const status = await api<Listed>('GET', '/api/v1/status');
      lastSeen = JSON.stringify(status.items.map((m) => [m.name, m.status]));
      return (await api<Incidents>('GET', '/api/v1/incidents')).items.find(
        (i) => i.monitorId === idOf('checkout'),
      );
    },
    180_000,
    () => `an incident on checkout (last seen ${lastSeen})`,
    1_000,
  );
  await api('POST', `/api/v1/incidents/${incident.id}/updates`, {
    status: 'investigating',
    message: 'Checkout returns 503 for some customers; we are looking into it.',
    public: true,
  });
  await api('POST', '/api/v1/status-pages', {
    slug: 'acme',
    title: 'Acme status',
    description: 'Live status of the Acme shop and its API.',
    groups: [
      { name: 'Shop', monitorIds: ['homepage', 'checkout', 'search', 'login'].map(idOf) },
      { name: 'API', monitorIds: ['public-api', 'payments-api', 'webhooks'].map(idOf) },
    ],
  });

  fs.mkdirSync(OUT, { recursive: true });
  browser = await launchBrowser();
  const pages: [string, string][] = [
    ['overview', '/'],
    ['monitor', `/monitors/${idOf('checkout')}`],
    ['incident', `/incidents/${incident.id}`],
    ['alerting', '/alerting'],
    ['new-monitor', '/monitors/new'],
  ];
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page } = await browser.open({ viewport, colorScheme: scheme });
      await page.goto(daemon.apiUrl);
      await page.getByLabel('User name').fill(ADMIN.name);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.topbar').waitFor();
      for (const [name, url] of pages) {
        await page.goto(`${daemon.apiUrl}${url}`);
        await page.locator('.topbar').waitFor();
        await page.locator('main h1').first().waitFor();
        // Live pages keep an event stream open, so "network idle" never comes: let data settle.
        await page.waitForTimeout(1_500);
        await page.screenshot({ path: path.join(OUT, `${name}-${scheme}-${device}.png`) });
      }
      await page.goto(`${daemon.apiUrl}/status/acme`);
      await page.screenshot({
        path: path.join(OUT, `status-page-${scheme}-${device}.png`),
        fullPage: device === 'desktop',
      });
    }
  }
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser?.close();
  await daemon.stop('SIGKILL');
  target.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

// The generated forms in Chromium against a real daemon: every registered check type's monitor
// form and every alert channel's settings form, both derived from the API (no hand lists of
// types), a monitor with alert and regional routes, regions, labels and a quorum policy saved
// and read back, inline and server validation on the right field, a webhook target created,
// tested against a local receiver and deleted, a maintenance window, and a viewer without edit
// buttons.

const ADMIN = { name: 'admin', password: 'correct horse battery' };
const VIEWER = { name: 'watcher', password: 'viewer password 123' };

interface JsonSchema {
  properties?: Record<string, unknown>;
  required?: string[];
  anyOf?: JsonSchema[];
}
interface CheckTypeInfo {
  type: string;
  optionsSchema: JsonSchema;
  exclusiveOptions: string[][];
}
interface ChannelInfo {
  type: string;
  settingsSchema: JsonSchema;
}

/** Signed-in API calls for setting the scene (the browser is what the tests judge). */
async function apiAs(base: string, name: string, password: string) {
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

async function signIn(page: Page, base: string, user: { name: string; password: string }) {
  await page.goto(base);
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Monitors' }).waitFor();
}

/** Element ids the form gives a field: `<prefix>-<path with dots as dashes>`. */
function fieldId(prefix: string, fieldPath: string): string {
  return `#${prefix}-${fieldPath.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

async function assertNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
}

describe('dashboard forms in Chromium', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let site: TestServer;
  let receiver: WebhookReceiver;
  let browser: BrowserSession;
  let base: string;
  let admin: Awaited<ReturnType<typeof apiAs>>;

  before(async () => {
    dataDir = tempDataDir();
    site = await startHttpServer((_req, res) => res.end('{"status":"ok"}'));
    receiver = await startWebhookReceiver();
    daemon = await startDaemon(dataDir);
    base = daemon.apiUrl;
    const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
    const setup = await fetch(`${base}/api/v1/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ setupToken, ...ADMIN }),
    });
    assert.equal(setup.status, 201, await setup.text());
    admin = await apiAs(base, ADMIN.name, ADMIN.password);
    await admin('POST', '/api/v1/users', { ...VIEWER, role: 'viewer' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop('SIGKILL');
    await receiver?.close();
    await site?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('renders and submits the monitor form of every registered check type', async () => {
    const { items } = await admin<{ items: CheckTypeInfo[] }>('GET', '/api/v1/check-types');
    assert.ok(items.length > 0);
    const host = new URL(site.origin).host;
    // Targets by the form each type documents; a type not listed gets a URL and must then
    // either be created or show the server's verdict on the target field.
    const targets: Record<string, string> = {
      https: `https://${host}/`,
      tcp: host,
      tls: host,
      dns: 'localhost',
      icmp: '127.0.0.1',
      postgres: host,
      udp: host,
      websocket: `ws://${host}/`,
      ssh: host,
      redis: host,
    };
    const optionSamples: Record<string, string> = { assertions: '$.status == "ok"' };
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    for (const info of items) {
      await page.goto(`${base}/monitors/new`);
      await page.getByLabel('Check type').selectOption(info.type);
      await page.getByRole('heading', { name: `Options for ${info.type}` }).waitFor();
      for (const key of Object.keys(info.optionsSchema.properties ?? {}))
        assert.equal(
          await page.locator(fieldId('monitor', `options.${key}`)).count(),
          1,
          `${info.type}: option ${key} has a field`,
        );
      const name = `form-${info.type}`;
      await page.locator(fieldId('monitor', 'name')).fill(name);
      await page.locator(fieldId('monitor', 'target')).fill(targets[info.type] ?? site.origin);
      const needed = [
        ...(info.optionsSchema.required ?? []),
        ...info.exclusiveOptions.map((keys) => keys[0] ?? ''),
      ].filter(Boolean);
      for (const key of needed) {
        const field = page.locator(fieldId('monitor', `options.${key}`));
        await field.fill(optionSamples[key] ?? 'ok');
        await field.press('Tab'); // a list field adds what was typed on leaving it
      }
      await page.getByRole('button', { name: 'Create monitor' }).click();
      // Whichever comes first: the monitor's page, or the server's word on the target.
      const created = page
        .waitForURL(/\/monitors\/(?!new$)[^/]+$/, { timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      const refused = page
        .locator(`${fieldId('monitor', 'target')}-error`)
        .waitFor({ timeout: 5_000 })
        .then(() => false)
        .catch(() => false);
      if (await Promise.race([created, refused])) {
        const { items: monitors } = await admin<{ items: { name: string; type: string }[] }>(
          'GET',
          '/api/v1/monitors',
        );
        assert.ok(
          monitors.some((m) => m.name === name && m.type === info.type),
          `${info.type} created`,
        );
      } else {
        assert.ok(!(info.type in targets), `${info.type}: its sample target was refused`);
        assert.ok(await page.locator(`${fieldId('monitor', 'target')}-error`).isVisible());
      }
    }
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(errors, []);
  });

  it('validates inline before submit and shows the server issue on its field', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    await page.goto(`${base}/monitors/new`);
    const name = page.locator(fieldId('monitor', 'name'));
    await name.focus();
    await name.blur();
    await page
      .locator(`${fieldId('monitor', 'name')}-error`)
      .getByText('required')
      .waitFor();
    const threshold = page.locator(fieldId('monitor', 'failureThreshold'));
    await threshold.fill('0');
    await threshold.blur();
    await page
      .locator(`${fieldId('monitor', 'failureThreshold')}-error`)
      .getByText('must be at least 1')
      .waitFor();
    await threshold.fill('3');

    // The schema lets any text be a target; the http check refuses one that is not a URL.
    await page.getByLabel('Check type').selectOption('http');
    await name.fill('bad-target');
    await page.locator(fieldId('monitor', 'target')).fill('not a url');
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.locator(`${fieldId('monitor', 'target')}-error`).waitFor();
    assert.equal(new URL(page.url()).pathname, '/monitors/new');
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(
      errors.filter((text) => !/status of 400/.test(text)),
      [],
    );
  });

  it('creates a monitor with routes, regional routes, regions and a policy through the form', async () => {
    await admin('POST', '/api/v1/alert-targets', {
      name: 'pager',
      type: 'webhook',
      settings: { url: receiver.url, secret: 'a-signing-secret-of-32-chars-ok!' },
    });
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    await page.goto(`${base}/monitors/new`);
    await page.getByLabel('Check type').selectOption('http');
    await page.locator(fieldId('monitor', 'name')).fill('routed');
    await page.locator(fieldId('monitor', 'target')).fill(site.origin);
    await page.locator(fieldId('monitor', 'intervalMs')).fill('30s');
    await page.locator(fieldId('monitor', 'group')).fill('web');
    await page.locator(fieldId('monitor', 'tags')).fill('prod');
    await page.locator(fieldId('monitor', 'tags')).press('Enter');
    await page.locator(fieldId('monitor', 'consensus.quorum')).selectOption('n_of_m');
    await page.locator(fieldId('monitor', 'consensus.requiredFailures')).fill('2');
    // No node reports a region in this one-node cluster: the region is typed.
    await page.locator('#monitor-nodes-regions-other').fill('eu-west');
    await page.locator('#monitor-nodes-regions-other').press('Enter');
    await page.getByRole('button', { name: 'Add row to Node labels' }).click();
    await page.getByLabel('Node labels 1: name').fill('net');
    await page.getByLabel('Node labels 1: value').fill('public');

    const regional = page.getByRole('group', { name: 'Regional alert targets' });
    await regional.getByRole('checkbox', { name: /pager/ }).check();
    const settings = page.getByRole('group', { name: 'How pager is paged for regional verdicts' });
    await settings.getByRole('checkbox', { name: 'regional' }).check();
    await settings.getByLabel(/Repeat every/).fill('600000');
    await page
      .getByRole('group', { name: 'Alert targets', exact: true })
      .getByRole('checkbox', { name: /pager/ })
      .check();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.waitForURL(/\/monitors\/(?!new$)[^/]+$/);
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';

    interface Saved {
      intervalMs: number;
      group: string | null;
      tags: string[];
      alerts: { target: string; events: string[] | null; repeatEveryMs: number | null }[];
      regionalAlerts: { target: string; events: string[] | null; repeatEveryMs: number | null }[];
      nodes: { regions: string[]; labels: Record<string, string> };
      consensus: {
        quorum: string;
        requiredFailures: number | null;
        requiredPercent: number | null;
      };
    }
    const saved = await admin<Saved>('GET', `/api/v1/monitors/${id}`);
    assert.equal(saved.intervalMs, 30_000);
    assert.equal(saved.group, 'web');
    assert.deepEqual(saved.tags, ['prod']);
    assert.deepEqual(
      saved.regionalAlerts.map((r) => [r.target, r.events, r.repeatEveryMs]),
      [['pager', ['regional'], 600_000]],
    );
    assert.deepEqual(
      saved.alerts.map((r) => [r.target, r.events, r.repeatEveryMs]),
      [['pager', null, null]],
    );
    assert.deepEqual(saved.nodes, { regions: ['eu-west'], labels: { net: 'public' } });
    assert.equal(saved.consensus.quorum, 'n_of_m');
    assert.equal(saved.consensus.requiredFailures, 2);

    // The edit form starts from what was saved; dropping the regional route sends only that.
    await page.goto(`${base}/monitors/${id}/edit`);
    await regional.getByRole('checkbox', { name: /pager/ }).waitFor();
    assert.ok(await regional.getByRole('checkbox', { name: /pager/ }).isChecked());
    assert.ok(await settings.getByRole('checkbox', { name: 'regional' }).isChecked());
    assert.equal(await settings.getByLabel(/Repeat every/).inputValue(), '600000');
    await page.getByRole('listitem').filter({ hasText: 'eu-west' }).waitFor();
    await regional.getByRole('checkbox', { name: /pager/ }).uncheck();
    // Another quorum mode: its own threshold, and the one of the mode left behind is dropped.
    await page.locator(fieldId('monitor', 'consensus.quorum')).selectOption('percent');
    await page.locator(fieldId('monitor', 'consensus.requiredPercent')).fill('40');
    await page.getByRole('button', { name: 'Save monitor' }).click();
    await page.waitForURL(new RegExp(`/monitors/${id}$`));
    const edited = await admin<Saved>('GET', `/api/v1/monitors/${id}`);
    assert.deepEqual(edited.consensus, {
      ...saved.consensus,
      quorum: 'percent',
      requiredFailures: null,
      requiredPercent: 40,
    });
    assert.deepEqual(edited.regionalAlerts, []);
    assert.deepEqual(
      edited.alerts.map((r) => r.target),
      ['pager'],
    );
    assert.deepEqual(edited.nodes, saved.nodes);
    assert.deepEqual(errors, []);
    await page.close(); // before the deletes, which the open monitor page would answer with 404s
    await admin('DELETE', `/api/v1/monitors/${id}`);
    await admin('DELETE', '/api/v1/alert-targets/pager');
  });

  it('edits a monitor, keeping a masked secret unless it is replaced', async () => {
    const monitor = await admin<{ id: string }>('POST', '/api/v1/monitors', {
      name: 'with-secret',
      type: 'http',
      target: site.origin,
      options: { headers: { authorization: 'Bearer edit-form-secret' } },
    });
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    await page.goto(`${base}/monitors/${monitor.id}/edit`);
    await page.getByText('(unchanged)').waitFor();
    assert.equal(await page.locator(fieldId('monitor', 'name')).inputValue(), 'with-secret');
    await page.locator(fieldId('monitor', 'name')).fill('with-secret-renamed');
    await page.getByRole('button', { name: 'Save monitor' }).click();
    await page.waitForURL(new RegExp(`/monitors/${monitor.id}$`));
    const saved = await admin<{ name: string; options: { headers?: Record<string, string> } }>(
      'GET',
      `/api/v1/monitors/${monitor.id}`,
    );
    assert.equal(saved.name, 'with-secret-renamed');
    assert.deepEqual(Object.keys(saved.options.headers ?? {}), ['authorization']);
    assert.deepEqual(errors, []);
  });

  it('renders every channel’s settings form; creates, tests and deletes a webhook target', async () => {
    const { items: channels } = await admin<{ items: ChannelInfo[] }>(
      'GET',
      '/api/v1/alert-channels',
    );
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    await page.goto(`${base}/alerting/targets/new`);
    for (const channel of channels) {
      await page.locator('#target-type').selectOption(channel.type);
      const schema = channel.settingsSchema.anyOf?.[0] ?? channel.settingsSchema;
      for (const key of Object.keys(schema.properties ?? {}))
        await page.locator(fieldId('target', `settings.${key}`)).waitFor({ timeout: 2_000 });
    }

    await page.locator('#target-type').selectOption('webhook');
    await page.locator('#target-name').fill('ops-hook');
    await page.locator(fieldId('target', 'settings.url')).fill(receiver.url);
    await page
      .locator(fieldId('target', 'settings.secret'))
      .fill('a-signing-secret-of-32-chars-ok!');
    await page.getByRole('button', { name: 'Create target' }).click();
    const row = page.locator('tr[data-target="ops-hook"]');
    await row.waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);

    await row.getByRole('button', { name: 'Test ops-hook' }).click();
    await row.getByRole('status').getByText('Sent').waitFor();
    await receiver.waitForRequests(1);

    // Editing shows the secret as kept, and saving without replacing it keeps it.
    await row.getByRole('link', { name: 'ops-hook' }).click();
    await page.getByText('(unchanged)').waitFor();
    await page.getByRole('button', { name: 'Save target' }).click();
    await row.waitFor();

    // Routed, the API refuses the delete and the page shows why.
    await page.locator('#rule-value').fill('web');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('cell', { name: 'group web', exact: true }).waitFor();
    await row.getByRole('button', { name: 'Delete ops-hook' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete target' }).click();
    await row.getByRole('alert').waitFor();
    await page.getByRole('button', { name: /Delete rule for group web/ }).click();
    await page.locator('tr[data-rule]').waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Delete ops-hook' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete target' }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(
      errors.filter((text) => !/status of 409|status of 400/.test(text)),
      [],
    );
  });

  it('creates and lists a maintenance window, on a phone too', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    await page.goto(`${base}/maintenance`);
    await page.getByRole('button', { name: 'New maintenance window' }).click();
    await page.getByLabel('Name').fill('db-upgrade');
    await page.getByLabel('Starts').fill('2035-01-01T10:00');
    await page.getByLabel('Ends').fill('2035-01-01T12:00');
    await page.locator('#mw-tags').fill('web');
    await page.locator('#mw-tags').press('Enter');
    await page.getByRole('button', { name: 'Create window' }).click();
    const row = page.locator('tr[data-window="db-upgrade"]');
    await row.getByText('upcoming').waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);

    // Edit: the same form, filled from the window; the server's field errors show inline.
    await row.getByRole('button', { name: 'Edit db-upgrade' }).click();
    await page.getByRole('heading', { name: 'Edit db-upgrade' }).waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), 'db-upgrade');
    assert.equal(await page.getByLabel('Starts').inputValue(), '2035-01-01T10:00');
    await page.getByRole('radio', { name: 'Recurring' }).check();
    await page.getByLabel('Cron').fill('0 2 * * 0');
    await page.getByLabel('Lasts').fill('90m');
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByLabel('Reason').fill('weekly vacuum');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#mw-timezone-error').waitFor();
    assert.match((await page.locator('#mw-timezone-error').textContent()) ?? '', /zone/i);
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('0 2 * * 0 (Europe/Berlin) for').waitFor();
    assert.match((await row.textContent()) ?? '', /weekly vacuum/);
    assert.equal(await page.getByRole('heading', { name: 'Edit db-upgrade' }).count(), 0);
    assert.deepEqual(await seriousA11yViolations(page), []);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await row.waitFor();
    await assertNoHorizontalScroll(page);
    await page.goto(`${base}/monitors/new`);
    await page.getByRole('heading', { name: 'New monitor' }).waitFor();
    await assertNoHorizontalScroll(page);
    // The refused time zone above is the only error the console may show.
    assert.deepEqual(
      errors.filter((text) => !/status of 400/.test(text)),
      [],
    );
  });

  it('shows a viewer the lists without create, edit or delete buttons', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, base, VIEWER);
    await page.goto(`${base}/alerting`);
    await page.getByRole('heading', { name: 'Routing rules' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'New alert target' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add rule' }).count(), 0);
    await page.goto(`${base}/maintenance`);
    await page.locator('tr[data-window="db-upgrade"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New maintenance window' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Delete/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0);
    // The API refuses a viewer anyway.
    const viewer = await apiAs(base, VIEWER.name, VIEWER.password).catch(() => undefined);
    assert.ok(viewer);
    await assert.rejects(
      viewer('POST', '/api/v1/maintenance', {
        name: 'x',
        tags: ['web'],
        cron: '0 2 * * 0',
        durationMs: '1h',
      }),
      /403/,
    );
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(errors, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { ADMIN, fieldId, signIn, startFormsScene } from '../helpers/dashboard-forms.ts';
import type { CheckTypeInfo, FormsScene } from '../helpers/dashboard-forms.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

// The generated monitor forms in Chromium against a real daemon: every registered check type's
// form (derived from the API, no hand list of types), inline and server validation on the
// right field, a monitor with alert and regional routes, regions, labels and a quorum policy
// saved and read back, and an edit that keeps a masked secret.

describe('dashboard monitor forms in Chromium', { timeout: 120_000 }, () => {
  let scene: FormsScene;
  let site: TestServer;
  let receiver: WebhookReceiver;
  let browser: BrowserSession;
  let base: string;
  let admin: FormsScene['admin'];

  before(async () => {
    site = await startHttpServer((_req, res) => res.end('{"status":"ok"}'));
    receiver = await startWebhookReceiver();
    scene = await startFormsScene();
    ({ browser, base, admin } = scene);
  });

  after(async () => {
    await scene?.close();
    await site?.close();
    await receiver?.close();
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
      grpc: host,
      mysql: host,
      mqtt: `mqtt://${host}`,
      smtp: host,
      imap: host,
      pop3: host,
      // A TLD the shipped RDAP bootstrap does not know: the check never leaves this machine.
      domain: 'example.test',
      push: 'nightly-backup',
    };
    const optionSamples: Record<string, string> = {
      assertions: '$.status == "ok"',
      periodMs: '1d',
    };
    // Types that refuse the form's default interval (registries rate-limit RDAP).
    const intervals: Record<string, string> = { domain: '6h' };
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
      const interval = intervals[info.type];
      if (interval !== undefined)
        await page.locator(fieldId('monitor', 'intervalMs')).fill(interval);
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

  it('chooses what a monitor depends on by name or group, and shows a circle on the field', async () => {
    const create = (name: string, group: string | null) =>
      admin<{ id: string }>('POST', '/api/v1/monitors', {
        name,
        type: 'http',
        target: site.origin,
        group,
        paused: true,
      });
    const router = await create('dep-router', 'dep-core');
    const child = await create('dep-web', null);
    const { page, errors } = await browser.open();
    await signIn(page, base, ADMIN);
    await page.goto(`${base}/monitors/${child.id}/edit`);
    const search = page.getByLabel('Find monitors or groups this one depends on');
    await search.fill('dep-rou');
    await page.getByRole('button', { name: 'Add dependency dep-router' }).click();
    await search.fill('dep-core');
    await page.getByRole('button', { name: 'Add dependency Group dep-core' }).click();
    await page.getByRole('button', { name: 'Save monitor' }).click();
    await page.waitForURL(new RegExp(`/monitors/${child.id}$`));
    const saved = await admin<{ dependsOn: string[] }>('GET', `/api/v1/monitors/${child.id}`);
    assert.deepEqual(saved.dependsOn, [router.id, 'group:dep-core']);

    // The router depending on the web server would close a circle: refused on the field.
    await page.goto(`${base}/monitors/${router.id}/edit`);
    await search.fill('dep-web');
    await page.getByRole('button', { name: 'Add dependency dep-web' }).click();
    await page.getByRole('button', { name: 'Save monitor' }).click();
    const fieldError = page.locator('#monitor-dependencies-error');
    await fieldError.waitFor();
    assert.match(await fieldError.innerText(), /circle: dep-(web|router) → dep-(web|router)/);
    assert.equal(new URL(page.url()).pathname, `/monitors/${router.id}/edit`);
    assert.deepEqual(
      errors.filter((e) => !/\b400\b/.test(e)),
      [],
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import {
  ADMIN,
  VIEWER,
  apiAs,
  assertNoHorizontalScroll,
  fieldId,
  signIn,
  startFormsScene,
} from '../helpers/dashboard-forms.ts';
import type { ChannelInfo, FormsScene } from '../helpers/dashboard-forms.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

// The generated alert-target and maintenance forms in Chromium against a real daemon: every
// alert channel's settings form (derived from the API), a webhook target created, tested
// against a local receiver and deleted, a maintenance window made and edited (on a phone too),
// and a viewer without edit buttons.

describe('dashboard alerting and maintenance forms in Chromium', { timeout: 120_000 }, () => {
  let scene: FormsScene;
  let receiver: WebhookReceiver;
  let browser: BrowserSession;
  let base: string;
  let admin: FormsScene['admin'];

  before(async () => {
    receiver = await startWebhookReceiver();
    scene = await startFormsScene();
    ({ browser, base, admin } = scene);
  });

  after(async () => {
    await scene?.close();
    await receiver?.close();
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

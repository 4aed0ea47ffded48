import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../../src/cli/api-client.ts';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { ADMIN, coordinatorWithAdmin, signIn, unexpected } from '../helpers/dashboard-admin.ts';
import { localApi } from '../helpers/local-api.ts';
import { loopbackCluster } from '../helpers/loopback-cluster.ts';

// Maintenance windows scoped to nodes, made in Debian's Chromium against a real coordinator
// ("coord", region eu) with a real agent ("edge-1", region ap) on loopback: the form's node
// picker is fed by nodes.list, finds nodes by name or region, adds and removes them as chips,
// and an edit starts from the stored nodes. What is stored is read back through the API.

interface StoredWindow {
  name: string;
  scope: { monitors: string[]; groups: string[]; tags: string[]; nodes: string[] };
}

describe('maintenance windows by node in Chromium', { timeout: 90_000 }, () => {
  const cluster = loopbackCluster({ graceCount: 5 });
  let apiUrl: string;
  let api: ApiClient;
  let browser: BrowserSession;

  before(async () => {
    const coordinator = await coordinatorWithAdmin(cluster);
    apiUrl = coordinator.apiUrl;
    api = localApi(coordinator.dataDir, apiUrl);
    await cluster.joinAgent(api, 'edge-1', 'ap');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await cluster.cleanup();
  });

  async function storedNodes(name: string): Promise<string[] | undefined> {
    const { items } = await api.request<{ items: StoredWindow[] }>('GET', '/api/v1/maintenance');
    return items.find((window) => window.name === name)?.scope.nodes;
  }

  it('creates a node-scoped window from the node picker and edits its nodes', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${apiUrl}/maintenance`);
    await signIn(page, ADMIN);
    await page.getByRole('button', { name: 'New maintenance window' }).click();
    await page.getByLabel('Name').fill('ap-network-work');
    await page.getByLabel('Starts').fill('2035-03-01T22:00');
    await page.getByLabel('Ends').fill('2035-03-02T02:00');

    // Found by region; the coordinator (region eu) is not offered for "ap".
    const search = page.getByLabel('Find nodes to add');
    await search.fill('ap');
    await page.getByRole('button', { name: 'Add node edge-1' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add node coord' }).count(), 0);
    await page.getByRole('button', { name: 'Add node edge-1' }).click();
    // Added, then removed again: the chip goes, the node is offered again.
    await search.fill('coord');
    await page.getByRole('button', { name: 'Add node coord' }).click();
    const chosen = page.getByRole('list', { name: 'Chosen nodes' });
    assert.deepEqual(await chosen.getByRole('listitem').allTextContents(), ['edge-1×', 'coord×']);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.getByRole('button', { name: 'Remove node coord' }).click();
    await page.getByRole('button', { name: 'Add node coord' }).waitFor();
    assert.deepEqual(await chosen.getByRole('listitem').allTextContents(), ['edge-1×']);

    // Nodes alone are a scope: no monitor, group or tag needed.
    await page.getByRole('button', { name: 'Create window' }).click();
    const row = page.locator('tr[data-window="ap-network-work"]');
    await row.getByText('nodes: edge-1').waitFor();
    assert.deepEqual(await storedNodes('ap-network-work'), ['edge-1']);
    assert.deepEqual(await seriousA11yViolations(page), []);

    // Edit: the form starts from the stored node; adding one keeps it.
    await row.getByRole('button', { name: 'Edit ap-network-work' }).click();
    await page.getByRole('heading', { name: 'Edit ap-network-work' }).waitFor();
    assert.deepEqual(await chosen.getByRole('listitem').allTextContents(), ['edge-1×']);
    await page.getByLabel('Find nodes to add').fill('eu');
    await page.getByRole('button', { name: 'Add node coord' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('nodes: edge-1, coord').waitFor();
    assert.deepEqual(await storedNodes('ap-network-work'), ['edge-1', 'coord']);

    // Removing every node leaves nothing covered: refused in the form, nothing stored.
    await row.getByRole('button', { name: 'Edit ap-network-work' }).click();
    await page.getByRole('button', { name: 'Remove node edge-1' }).click();
    await page.getByRole('button', { name: 'Remove node coord' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('choose at least one monitor, group, tag or node').waitFor();
    assert.deepEqual(await storedNodes('ap-network-work'), ['edge-1', 'coord']);
    await page.getByLabel('Find nodes to add').fill('edge');
    await page.getByRole('button', { name: 'Add node edge-1' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page
      .getByRole('heading', { name: 'Edit ap-network-work' })
      .waitFor({ state: 'detached' });
    assert.deepEqual(await storedNodes('ap-network-work'), ['edge-1']);
    assert.deepEqual(unexpected(errors), []);
  });
});

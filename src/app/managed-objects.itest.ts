import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiClient } from '../cli/api-client.ts';
import { loadNodeConfig } from '../config/node-config.ts';
import { createLogger } from '../observability/logger.ts';
import { tempDataDir, waitFor } from '../../test/helpers/cli.ts';
import { runCliInProcess } from '../../test/helpers/in-process-cli.ts';
import { localApi, localApiToken, listItems } from '../../test/helpers/local-api.ts';
import { initCoordinator } from './cluster-setup.ts';
import { startNode } from './node.ts';
import type { RunningNode } from './node.ts';

// One real coordinator started with `--config` (the file watch): every managed kind is applied
// from the file and on each change; edits and deletes of managed objects answer with warnings
// over REST, the CLI and MCP; a delete takes the managed record with it, so an apply re-creates.

const SOURCE = 'crosscheck.yaml';

/** The file, with what a test changes as parameters. Monitors are paused: nothing is checked. */
function configText(opts: { extraTarget?: boolean; title?: string; extraWindow?: boolean }) {
  return [
    'version: 1',
    'alertTargets:',
    '  - { name: ops, type: webhook, settings: { url: "http://127.0.0.1:9/hook" } }',
    ...(opts.extraTarget === true
      ? ['  - { name: team, type: webhook, settings: { url: "http://127.0.0.1:9/team" } }']
      : []),
    'alertRules:',
    '  - { key: fallback, scope: default, target: ops }',
    'monitors:',
    '  - { name: paged, type: tcp, target: "127.0.0.1:9", paused: true }',
    'maintenance:',
    '  - { name: deploys, monitors: [paged], cron: "0 3 * * 0", durationMs: 2h, timezone: UTC }',
    ...(opts.extraWindow === true
      ? [
          '  - { name: backups, monitors: [paged], cron: "0 4 * * 0", durationMs: 1h, timezone: UTC }',
        ]
      : []),
    'statusPages:',
    `  - { slug: public, title: ${opts.title ?? 'Acme'}, groups: [{ name: Core, monitors: [paged] }] }`,
    '',
  ].join('\n');
}

interface Named {
  id: string;
  name: string;
  managedBy?: { source: string; key: string };
}
interface Target {
  name: string;
  managedBy?: { source: string; key: string };
}
interface Page {
  id: string;
  slug: string;
  title: string;
  managedBy?: { source: string; key: string };
}

const editWarning = (kind: string, label: string, key: string) =>
  `${kind} ${label} is managed by the config file ${SOURCE} (key ${key}); ` +
  'the next crosscheck apply of that file restores its version';
const deleteWarning = (kind: string, label: string, key: string) =>
  `${kind} ${label} was managed by the config file ${SOURCE} (key ${key}); ` +
  'the next crosscheck apply of that file re-creates it';

describe('managed objects on a coordinator started with --config', { timeout: 120_000 }, () => {
  let dataDir: string;
  let file: string;
  let node: RunningNode;
  let api: ApiClient;
  let logs = '';

  /** A raw request: status and parsed body (null when there is none). */
  async function send(method: string, url: string, body?: unknown) {
    const response = await fetch(`${api.baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${localApiToken(dataDir)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  const monitors = () => listItems<Named>(api, '/api/v1/monitors');
  const targets = () => listItems<Target>(api, '/api/v1/alert-targets');
  const windows = () => listItems<Named>(api, '/api/v1/maintenance');
  const pages = () => listItems<Page>(api, '/api/v1/status-pages');
  const rules = () => listItems<{ id: string; target: string }>(api, '/api/v1/alert-rules');
  const byName = <T extends { name: string }>(items: T[], name: string): T => {
    const found = items.find((i) => i.name === name);
    assert.ok(found, `${name} in ${items.map((i) => i.name).join(', ')}`);
    return found;
  };

  before(async () => {
    dataDir = tempDataDir();
    file = path.join(dataDir, SOURCE);
    fs.writeFileSync(file, configText({}));
    await initCoordinator({
      dataDir,
      name: 'coord',
      listen: '127.0.0.1:0',
      advertise: null,
      region: 'eu',
      labels: {},
      logger: createLogger('silent'),
    });
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const config = loadNodeConfig({ dataDir, apiListen: '127.0.0.1:0' }, {});
    node = await startNode({
      config,
      logger: createLogger('info', 'json', sink),
      configFile: { file, prune: false, env: {} },
    });
    api = localApi(dataDir, node.apiUrl);
  });

  after(async () => {
    await node.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies a changed file with targets, windows and pages; a broken edit keeps the state', async () => {
    assert.deepEqual(
      (await targets()).map((t) => t.name),
      ['ops'],
    );
    fs.writeFileSync(file, configText({ extraTarget: true, extraWindow: true, title: 'Acme Inc' }));
    await waitFor(
      async () => ((await pages())[0]?.title === 'Acme Inc' ? true : undefined),
      20_000,
      () => 'the edit applied',
    );
    assert.deepEqual((await targets()).map((t) => t.name).sort(), ['ops', 'team']);
    assert.deepEqual((await windows()).map((w) => w.name).sort(), ['backups', 'deploys']);
    assert.equal(byName(await targets(), 'team').managedBy?.source, SOURCE);

    const before = logs.length;
    fs.writeFileSync(
      file,
      configText({ extraTarget: true, extraWindow: true }).replace('2h', 'soon'),
    );
    await waitFor(
      () => (logs.slice(before).includes('config file not applied') ? true : undefined),
      20_000,
      () => `the broken edit logged: ${logs.slice(before)}`,
    );
    assert.match(logs.slice(before), /maintenance\.0\.durationMs/);
    assert.equal((await pages())[0]?.title, 'Acme Inc');
    assert.equal((await windows()).length, 2);
    assert.equal((await targets()).length, 2);
  });

  it('shows managedBy on get and list views of managed objects only', async () => {
    const made = await api.request<Named>('POST', '/api/v1/monitors', {
      name: 'manual',
      type: 'tcp',
      target: '127.0.0.1:9',
      paused: true,
    });
    const listed = await monitors();
    assert.deepEqual(byName(listed, 'paged').managedBy, { source: SOURCE, key: 'paged' });
    assert.equal(byName(listed, 'manual').managedBy, undefined);
    const paged = byName(listed, 'paged');
    const one = await api.request<Named>('GET', `/api/v1/monitors/${paged.id}`);
    assert.deepEqual(one.managedBy, { source: SOURCE, key: 'paged' });
    assert.equal(
      (await api.request<Named>('GET', `/api/v1/monitors/${made.id}`)).managedBy,
      undefined,
    );
    const ops = await api.request<Target>('GET', '/api/v1/alert-targets/ops');
    assert.deepEqual(ops.managedBy, { source: SOURCE, key: 'ops' });
    const page = await api.request<Page>('GET', '/api/v1/status-pages/public');
    assert.deepEqual(page.managedBy, { source: SOURCE, key: 'public' });
    const deploys = byName(await windows(), 'deploys');
    assert.deepEqual(deploys.managedBy, { source: SOURCE, key: 'deploys' });
    const window = await api.request<Named>('GET', '/api/v1/maintenance/deploys');
    assert.deepEqual(window.managedBy, { source: SOURCE, key: 'deploys' });
  });

  it('warns on REST edits of every managed kind, not of unmanaged ones', async () => {
    const paged = byName(await monitors(), 'paged');
    const manual = byName(await monitors(), 'manual');
    await api.request('POST', '/api/v1/alert-targets', {
      name: 'hand',
      type: 'webhook',
      settings: { url: 'http://127.0.0.1:9/hand' },
    });
    const handWindow = await api.request<Named>('POST', '/api/v1/maintenance', {
      name: 'hand-window',
      monitors: [manual.id],
      startsAt: Date.now() + 3_600_000,
      endsAt: Date.now() + 7_200_000,
    });
    const handPage = await api.request<Page>('POST', '/api/v1/status-pages', {
      slug: 'hand',
      title: 'Hand',
    });
    const deploys = byName(await windows(), 'deploys');
    const page = (await pages()).find((p) => p.slug === 'public');
    assert.ok(page);
    const cases = [
      {
        managed: ['PATCH', `/api/v1/monitors/${paged.id}`, { tags: ['x'] }],
        unmanaged: ['PATCH', `/api/v1/monitors/${manual.id}`, { tags: ['x'] }],
        warning: editWarning('monitor', paged.id, 'paged'),
      },
      {
        managed: [
          'PATCH',
          '/api/v1/alert-targets/ops',
          { settings: { url: 'http://127.0.0.1:9/o' } },
        ],
        unmanaged: [
          'PATCH',
          '/api/v1/alert-targets/hand',
          { settings: { url: 'http://127.0.0.1:9/h' } },
        ],
        warning: editWarning('alert-target', 'ops', 'ops'),
      },
      {
        managed: ['PATCH', '/api/v1/maintenance/deploys', { reason: 'hand' }],
        unmanaged: ['PATCH', `/api/v1/maintenance/${handWindow.id}`, { reason: 'hand' }],
        warning: editWarning('maintenance', deploys.id, 'deploys'),
      },
      {
        managed: ['PATCH', '/api/v1/status-pages/public', { title: 'Edited' }],
        unmanaged: ['PATCH', `/api/v1/status-pages/${handPage.id}`, { title: 'Edited' }],
        warning: editWarning('status-page', page.id, 'public'),
      },
    ] as const;
    for (const { managed, unmanaged, warning } of cases) {
      const edited = await send(managed[0], managed[1], managed[2]);
      assert.equal(edited.status, 200, managed[1]);
      assert.deepEqual((edited.body as { warnings?: string[] }).warnings, [warning]);
      const plain = await send(unmanaged[0], unmanaged[1], unmanaged[2]);
      assert.equal(plain.status, 200, unmanaged[1]);
      assert.equal((plain.body as { warnings?: string[] }).warnings, undefined, unmanaged[1]);
    }
  });

  it('answers 200 with warnings for managed deletes and 204 for unmanaged ones (REST)', async () => {
    const manual = byName(await monitors(), 'manual');
    assert.deepEqual(await send('DELETE', `/api/v1/monitors/${manual.id}`), {
      status: 204,
      body: null,
    });
    assert.equal((await send('DELETE', '/api/v1/alert-targets/hand')).status, 204);
    assert.equal((await send('DELETE', '/api/v1/maintenance/hand-window')).status, 204);
    assert.equal((await send('DELETE', '/api/v1/status-pages/hand')).status, 204);
    const made = await api.request<{ id: string }>('POST', '/api/v1/alert-rules', {
      scope: 'tag',
      value: 'hand',
      target: 'ops',
    });
    assert.equal((await send('DELETE', `/api/v1/alert-rules/${made.id}`)).status, 204);

    const paged = byName(await monitors(), 'paged');
    const deleted = await send('DELETE', `/api/v1/monitors/${paged.id}`);
    assert.deepEqual(deleted, {
      status: 200,
      body: { warnings: [deleteWarning('monitor', paged.id, 'paged')] },
    });
    const fallback = (await rules()).find((r) => r.target === 'ops');
    assert.ok(fallback);
    const rule = await send('DELETE', `/api/v1/alert-rules/${fallback.id}`);
    assert.deepEqual(rule, {
      status: 200,
      body: { warnings: [deleteWarning('alert-rule', fallback.id, 'fallback')] },
    });
    assert.equal((await monitors()).length, 0);
  });

  it('prints delete warnings on stderr from the CLI and exits 0', async () => {
    const deploys = byName(await windows(), 'deploys');
    const window = await runCliInProcess(dataDir, ['maintenance', 'delete', 'deploys']);
    assert.equal(window.code, 0, window.stderr);
    assert.equal(window.stderr, `warning: ${deleteWarning('maintenance', deploys.id, 'deploys')}`);
    assert.match(window.stdout, /Deleted maintenance window deploys\./);

    const page = await runCliInProcess(dataDir, ['status-page', 'delete', 'public']);
    assert.equal(page.code, 0, page.stderr);
    assert.match(
      page.stderr,
      /^warning: status-page sp_\S+ was managed by the config file crosscheck\.yaml \(key public\)/,
    );
    assert.doesNotMatch(page.stdout, /warnings/);

    const edit = await runCliInProcess(dataDir, [
      'maintenance',
      'edit',
      'backups',
      '--reason',
      'x',
    ]);
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(
      edit.stderr,
      /^warning: maintenance \S+ is managed by the config file crosscheck\.yaml \(key backups\)/,
    );
  });

  it('returns delete warnings as MCP tool text', async () => {
    const client = new Client({ name: 'crosscheck-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${node.apiUrl}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${localApiToken(dataDir)}` } },
      }),
    );
    try {
      const result = (await client.callTool({
        name: 'alerts_targets_delete',
        arguments: { name: 'team' },
      })) as CallToolResult;
      assert.equal(result.isError, undefined);
      const [first] = result.content;
      assert.equal(first?.type, 'text');
      assert.deepEqual(JSON.parse(first.type === 'text' ? first.text : ''), {
        warnings: [deleteWarning('alert-target', 'team', 'team')],
      });
    } finally {
      await client.close();
    }
  });

  it('re-creates what was deleted on the next apply, managed again, and undoes the edits', async () => {
    // The last version the watch applied: it skips the same content, the CLI's apply restores.
    fs.writeFileSync(file, configText({ extraTarget: true, extraWindow: true, title: 'Acme Inc' }));
    const applied = await runCliInProcess(dataDir, ['apply', '-f', file]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /\+ monitor paged/);
    assert.match(applied.stdout, /\+ alert-target team/);
    assert.match(applied.stdout, /\+ alert-rule fallback/);
    assert.match(applied.stdout, /\+ maintenance deploys/);
    assert.match(applied.stdout, /\+ status-page public/);
    assert.match(applied.stdout, /~ maintenance backups/);
    assert.deepEqual(byName(await monitors(), 'paged').managedBy, { source: SOURCE, key: 'paged' });
    assert.deepEqual((await targets()).map((t) => t.name).sort(), ['ops', 'team']);
    assert.deepEqual((await windows()).map((w) => w.name).sort(), ['backups', 'deploys']);
    assert.deepEqual(
      (await pages()).map((p) => [p.slug, p.title, p.managedBy?.key]),
      [['public', 'Acme Inc', 'public']],
    );
    assert.equal((await rules()).length, 1);
    const clean = await runCliInProcess(dataDir, ['diff', '-f', file]);
    assert.equal(clean.code, 0, clean.stdout);
  });
});

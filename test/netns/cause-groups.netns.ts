// One page per shared cause across real namespaces (issue #16): a whole region cut from the
// target fails 50 monitors at once; the regional route gets one page listing them, the main
// route nothing, and the recovery comes once, naming who recovered. Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { COORDINATOR } from '../helpers/cluster-lab.ts';
import type { IncidentView } from '../helpers/cluster-views.ts';
import { bootConsensusLab, EU } from '../helpers/consensus-lab.ts';
import type { ConsensusLab } from '../helpers/consensus-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;
const COUNT = 50;

interface GroupedIncident extends IncidentView {
  groupId: string | null;
}

interface GroupPage {
  kind: string;
  monitor: { name: string };
  message: string;
  regions: string[];
  group?: { id: string; count: number; cause: string; monitors: { name: string }[] };
}

describe('one page per shared cause across namespaces', { skip, timeout: 300_000 }, () => {
  let lab: ConsensusLab;
  before(async () => {
    lab = await bootConsensusLab({ grouping: true });
  });
  after(async () => {
    await lab?.cleanup();
  });

  it('a region cut from the target fails 50 monitors: one regional page lists them, one recovery follows', async (t) => {
    const target = lab.target('target');
    const route = (path: string) => [
      { channel: 'webhook', settings: { url: lab.hooks.url(path) } },
    ];
    const items = Array.from({ length: COUNT }, (_, i) => ({
      op: 'create',
      monitor: {
        name: `region-${String(i).padStart(2, '0')}`,
        type: 'http',
        target: `http://${target.address}:${target.httpPort}/m${i}`,
        intervalMs: 2_000,
        timeoutMs: 1_000,
        failureThreshold: 2,
        alerts: route('/g/main'),
        regionalAlerts: route('/g/regional'),
      },
    }));
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'cc-groups-')), 'monitors.json');
    await writeFile(file, JSON.stringify(items));
    const bulk = await lab.cluster.cliJson<{ written: number }>(COORDINATOR, [
      'monitor',
      'bulk',
      '-f',
      file,
      '--json',
    ]);
    assert.equal(bulk.written, COUNT);
    const listed = await lab.cluster.cliJson<{ id: string; name: string }[]>(COORDINATOR, [
      'monitor',
      'list',
    ]);
    const ids = listed.filter((m) => m.name.startsWith('region-')).map((m) => m.id);
    assert.equal(ids.length, COUNT);
    await lab.waitChecking(ids[0] ?? '', 40_000);
    await lab.waitChecking(ids[COUNT - 1] ?? '', 40_000);

    await lab.cluster.lab.block('eu-1', 'target');
    await lab.cluster.lab.block('eu-2', 'target');
    const cutAt = Date.now();
    const open = await waitFor(
      async () => {
        const incidents = (await lab.incidents()) as GroupedIncident[];
        const mine = incidents.filter((i) => ids.includes(i.monitorId) && i.status === 'open');
        return mine.length === COUNT ? mine : undefined;
      },
      90_000,
      () => `all ${COUNT} incidents open; logs:\n${lab.diagnostics()}`,
      1_000,
    );
    t.diagnostic(`${COUNT} incidents open ${Date.now() - cutAt} ms after the cut`);
    assert.ok(open.every((i) => i.verdict === 'regional' && i.regions.join() === EU));
    const groupId = open[0]?.groupId ?? null;
    assert.ok(groupId !== null, 'the incidents are grouped');
    assert.ok(
      open.every((i) => i.groupId === groupId),
      `one group for all: ${JSON.stringify(open.map((i) => i.groupId))}`,
    );
    const page = await waitFor(
      () => lab.hooks.under('/g/regional')[0],
      40_000,
      () => `the group's page; logs:\n${lab.diagnostics()}`,
      250,
    );
    t.diagnostic(`one regional page ${page.receivedAt - cutAt} ms after the cut`);
    const body = page.json as GroupPage;
    assert.equal(body.kind, 'regional');
    assert.deepEqual(body.regions, [EU]);
    assert.match(body.monitor.name, /^\d+ monitors failing in eu-west$/);
    assert.equal(body.group?.id, groupId);
    assert.equal(body.group?.monitors.length, 10, 'the page names the first ten');
    assert.match(body.message, /and \d+ more$/);

    // Late members joined silently: still one page, none on the main route.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.equal(lab.hooks.under('/g/regional').length, 1, lab.diagnostics());
    assert.equal(lab.hooks.under('/g/main').length, 0, 'nothing on the main route');
    const group = await lab.cluster.cliJson<{ count: number; state: string }>(COORDINATOR, [
      'incidents',
      'group',
      groupId,
    ]);
    assert.equal(group.count, COUNT);
    assert.equal(group.state, 'paged');

    await lab.cluster.lab.unblock('eu-1', 'target');
    await lab.cluster.lab.unblock('eu-2', 'target');
    const recovered = await waitFor(
      () =>
        lab.hooks.under('/g/regional').find((r) => r.headers['x-crosscheck-event'] === 'recovered'),
      90_000,
      () => `the group's recovery; logs:\n${lab.diagnostics()}`,
      500,
    );
    assert.match(
      (recovered.json as GroupPage).message,
      new RegExp(`^All ${COUNT} monitors in eu-west recovered: region-`),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(
      lab.hooks.under('/g/').map((r) => `${r.path} ${String(r.headers['x-crosscheck-event'])}`),
      ['/g/regional regional', '/g/regional recovered'],
      'one page and one recovery for the whole region',
    );
  });
});

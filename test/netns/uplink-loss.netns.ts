// Alert truth across namespaces (issue #10, hole 2), without canaries: most agents lose their
// own uplink at once — nftables drops inside their namespaces cut them from the target network
// while their channel to the coordinator stays up. The target is healthy; the coordinator and
// one agent still see it, and each cut agent has a peer in its region that does (a whole
// region losing its reach is a regional verdict instead: `cause-groups.netns.ts`). Nobody may be paged: the coordinator's record of every node shows the
// cut ones failing everything others see up (the vantage rule). The same lab then stops the
// target for real: that still pages, within the bound, and recovers. (With canaries, the same
// cut is `node-faults.netns.ts`.) Lab: coordinator us-east; eu-1, eu-2 (eu-west), us-1, us-2
// (us-east). Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { bootConsensusLab, EU, US } from '../helpers/consensus-lab.ts';
import type { ConsensusLab, ScenarioMonitor } from '../helpers/consensus-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import type { ReceivedRequest } from '../helpers/webhook-receiver.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;

/** Three of the four agents lose their uplink; eu-2 and the coordinator keep theirs. */
const BROKEN = ['eu-1', 'us-1', 'us-2'];
/** Long enough for a false page to go out: the hole paged within 5 s, in 4 tries of 4. */
const WATCH_MS = 20_000;

const AGENTS = [
  { name: 'eu-1', region: EU },
  { name: 'eu-2', region: EU },
  { name: 'us-1', region: US },
  { name: 'us-2', region: US },
];
/** Three monitors, so the vantage rule has other monitors to judge a node by. */
const MONITORS: ScenarioMonitor[] = [
  { name: 'u-http', type: 'http', target: 'target', webhook: '/u/' },
  { name: 'u-tcp', type: 'tcp', target: 'target', webhook: '/u/' },
  { name: 'u-dns', type: 'dns', target: 'target', webhook: '/u/' },
];

const kinds = (requests: readonly ReceivedRequest[]): string[] =>
  requests.map((request) => String(request.headers['x-crosscheck-event']));

/**
 * Cuts the broken agents from the target at the same moment, watches, and checks that nothing
 * paged and no incident stands; returns the rounds' set-aside reasons.
 */
async function cutAndWatch(
  lab: ConsensusLab,
  monitors: { id: string }[],
  hook: string,
): Promise<string[]> {
  await Promise.all(BROKEN.map((agent) => lab.cluster.lab.block(agent, 'target')));
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  const pages = lab.hooks.under(hook);
  assert.deepEqual(kinds(pages), [], `nobody is paged; logs:\n${lab.diagnostics()}`);
  const setAside: string[] = [];
  for (const monitor of monitors) {
    for (const incident of await lab.incidents(monitor.id)) {
      assert.equal(incident.status, 'retracted', `incident ${incident.id} stands`);
    }
    for (const round of await lab.rounds(monitor.id)) {
      for (const vote of round.votes)
        if (vote.setAside) setAside.push(`${vote.nodeName}:${vote.setAside}`);
    }
  }
  return setAside;
}

/**
 * After the heal the cut agents report impaired → healthy (their own record made them
 * impaired); a real outage is tried once they vote again and their results pass.
 */
async function waitHealed(lab: ConsensusLab): Promise<void> {
  const ids = BROKEN.map((agent) => lab.nodeIds[agent]);
  await waitFor(
    () => {
      const healthy = lab.hooks
        .under('/node')
        .filter((r) => r.headers['x-crosscheck-event'] === 'node-healthy')
        .map((r) => String(r.headers['x-crosscheck-idempotency-key']).split(':')[1]);
      return ids.every((id) => healthy.includes(id)) ? true : undefined;
    },
    30_000,
    () => `the cut agents healthy again; logs:\n${lab.diagnostics()}`,
    250,
  );
  // Two passing checks (the recovery threshold at a 1 s interval) and a margin.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}

/**
 * A real outage (target stopped) still pages every monitor, the first within the bound, and
 * the HTTP monitor recovers once the target is back (the lab brings its TCP and DNS servers
 * back on other ports, so those two stay down: that is the lab, not the product).
 */
async function realOutagePages(
  lab: ConsensusLab,
  hook: string,
  monitors: { id: string; name: string }[],
): Promise<void> {
  const since = lab.hooks.under(hook).length;
  const pages = () => lab.hooks.under(hook).slice(since);
  const of = (kind: string, monitorId: string) =>
    pages().find(
      (r) =>
        r.headers['x-crosscheck-event'] === kind &&
        String(r.headers['x-crosscheck-idempotency-key']).startsWith(`${monitorId}:`),
    );
  const stoppedAt = Date.now();
  await lab.stopTarget('target');
  const downs = await waitFor(
    () => {
      const found = monitors.map((m) => of('down', m.id));
      return found.every((d) => d !== undefined) ? found : undefined;
    },
    20_000,
    () => `a down page of every monitor; logs:\n${lab.diagnostics()}`,
    250,
  );
  const first = Math.min(...downs.map((d) => d?.receivedAt ?? Infinity));
  // failureThreshold × interval + timeout + 2 s, plus slack for a loaded runner.
  assert.ok(first - stoppedAt < 10_000, `paged ${first - stoppedAt} ms after the stop`);
  await lab.startTarget('target');
  const http = monitors.find((m) => m.name === 'u-http');
  assert.ok(http);
  await waitFor(
    () => of('recovered', http.id),
    30_000,
    () => `the HTTP monitor's recovery; logs:\n${lab.diagnostics()}`,
    250,
  );
  const seen = kinds(pages());
  assert.ok(!seen.includes('retracted'), `a real outage is never retracted: ${seen.join(', ')}`);
  // One page per monitor and kind (idempotency keys dedupe an at-least-once resend).
  const keys = new Set(pages().map((r) => String(r.headers['x-crosscheck-idempotency-key'])));
  assert.equal(
    [...keys].filter((key) => key.endsWith(':down')).length,
    monitors.length,
    `one down page per monitor: ${[...keys].join(', ')}`,
  );
}

describe(
  'alert truth across namespaces: uplink loss (vantage rule)',
  { skip, timeout: 300_000 },
  () => {
    let lab: ConsensusLab;
    before(async () => {
      lab = await bootConsensusLab({ agents: AGENTS });
    });
    afterEach(async (t) => {
      if ('passed' in t && !t.passed) t.diagnostic(`logs and webhooks:\n${lab.diagnostics()}`);
      await lab?.heal();
    });
    after(async () => {
      await lab?.cleanup();
    });

    it('three of four agents lose their uplink at once, the target is healthy: no page; a real outage still pages', async (t) => {
      const monitors = [];
      for (const spec of MONITORS) monitors.push(await lab.addMonitor(spec));
      for (const monitor of monitors) await lab.waitChecking(monitor.id);
      const setAside = await cutAndWatch(lab, monitors, '/u/');
      t.diagnostic(`votes set aside: ${setAside.join(', ') || 'none (no round started)'}`);
      await lab.heal();
      await waitHealed(lab);
      await realOutagePages(
        lab,
        '/u/',
        monitors.map((m, i) => ({ id: m.id, name: MONITORS[i]?.name ?? '' })),
      );
    });
  },
);

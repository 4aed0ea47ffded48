// The netns harness's own test: real hosts (namespaces), real servers in the target, the real CLI
// checking from each agent, then link cuts and nftables blocks. Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { appendBounded } from '../helpers/netns-process.ts';
import {
  createLab,
  netnsAvailable,
  nftRuleset,
  parseLabNamespace,
  startTargetServers,
} from '../helpers/netns.ts';
import type { Lab } from '../helpers/netns.ts';
import { TARGET_DNS_NAME, TARGET_TCP_BANNER } from '../helpers/netns-target.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');
const AGENTS = ['agent-a', 'agent-b', 'agent-c'] as const;
type Agent = (typeof AGENTS)[number];
type Statuses = Record<'http' | 'tcp' | 'dns', string>;
const ALL_UP: Statuses = { http: 'up', tcp: 'up', dns: 'up' };
const ALL_DOWN: Statuses = { http: 'down', tcp: 'down', dns: 'down' };

const available = netnsAvailable();

describe('netns lab', { skip: available.ok ? false : available.reason, timeout: 180_000 }, () => {
  let lab: Lab;
  let target: Awaited<ReturnType<typeof startTargetServers>>;

  before(async () => {
    lab = await createLab([
      { name: 'coordinator' },
      { name: 'agent-a', region: 'eu' },
      { name: 'agent-b', region: 'eu' },
      { name: 'agent-c', region: 'us' },
      { name: 'target' },
    ]);
    target = await startTargetServers(lab, 'target');
  });
  after(() => lab.cleanup());

  /** Runs the real CLI's http, tcp and dns checks against the target from inside `agent`. */
  async function checkTarget(agent: Agent): Promise<Statuses> {
    const { address } = target;
    const check = async (type: string, subject: string, extra: string[]): Promise<string> => {
      const args = [BIN, 'check', type, subject, ...extra, '--timeout', '1s', '--json'];
      // Twelve CLI processes start at once on a small machine; the limit only guards a hang.
      const run = await lab.exec(agent, process.execPath, args, {
        timeoutMs: 30_000,
        env: { NO_COLOR: '1' },
      });
      const result = JSON.parse(run.stdout) as { status: string };
      return result.status;
    };
    const [http, tcp, dns] = await Promise.all([
      check('http', `http://${address}:${target.httpPort}/`, []),
      check('tcp', `${address}:${target.tcpPort}`, ['--expect', TARGET_TCP_BANNER]),
      check('dns', TARGET_DNS_NAME, [
        '--resolver',
        `${address}:${target.dnsPort}`,
        '--expect',
        address,
      ]),
    ]);
    return { http, tcp, dns };
  }

  async function checkAll(): Promise<Record<Agent, Statuses>> {
    const results = await Promise.all(AGENTS.map((agent) => checkTarget(agent)));
    return Object.fromEntries(AGENTS.map((agent, i) => [agent, results[i]])) as Record<
      Agent,
      Statuses
    >;
  }

  /** Pings until `from` reaches `to` (bounded: a healed link may need a fresh ARP exchange). */
  async function reachable(from: string, to: string, attempts = 5): Promise<boolean> {
    for (let attempt = 0; attempt < attempts; attempt++)
      if (await lab.canReach(from, to)) return true;
    return false;
  }

  it('gives each host its own namespace and address, no default route, no forwarding', async () => {
    assert.equal(lab.hosts.size, 5);
    assert.equal(lab.host('agent-c').region, 'us');
    assert.equal(lab.host('coordinator').region, undefined);
    const addresses = new Set([...lab.hosts.values()].map((host) => host.address));
    assert.equal(addresses.size, 5);
    for (const host of lab.hosts.values()) {
      assert.ok(host.ns.startsWith(`${lab.id}-`));
      const routes = await lab.exec(host.name, 'ip', ['route', 'show', 'default']);
      assert.equal(routes.stdout.trim(), '', `${host.name} has no default route`);
      const forward = await lab.exec(host.name, 'cat', ['/proc/sys/net/ipv4/ip_forward']);
      assert.equal(forward.stdout.trim(), '0');
    }
    assert.equal(target.address, lab.host('target').address);
  });

  it('lets every agent reach the target over HTTP, TCP and DNS', async () => {
    assert.deepEqual(await checkAll(), { 'agent-a': ALL_UP, 'agent-b': ALL_UP, 'agent-c': ALL_UP });
  });

  it('cutLink takes one host off the network; healLink brings it back', async () => {
    await lab.cutLink('agent-c');
    assert.deepEqual(await checkAll(), {
      'agent-a': ALL_UP,
      'agent-b': ALL_UP,
      'agent-c': ALL_DOWN,
    });
    assert.equal(await lab.canReach('agent-c', 'coordinator'), false);

    await lab.healLink('agent-c');
    assert.ok(await reachable('agent-c', 'target'));
    assert.deepEqual(await checkAll(), { 'agent-a': ALL_UP, 'agent-b': ALL_UP, 'agent-c': ALL_UP });
  });

  it('block drops one pair both ways and leaves other links alone; unblock restores it', async () => {
    await lab.block('agent-b', 'target');
    assert.deepEqual(await checkAll(), {
      'agent-a': ALL_UP,
      'agent-b': ALL_DOWN,
      'agent-c': ALL_UP,
    });
    assert.equal(await lab.canReach('agent-b', 'coordinator'), true);
    assert.equal(
      await lab.canReach('target', 'agent-b'),
      false,
      'inbound from the peer is dropped too',
    );
    assert.equal(await lab.canReach('target', 'agent-a'), true);

    await lab.unblock('agent-b', 'target');
    assert.ok(await reachable('agent-b', 'target'));
    assert.deepEqual(await checkAll(), { 'agent-a': ALL_UP, 'agent-b': ALL_UP, 'agent-c': ALL_UP });
  });

  it('cleanup kills the processes and deletes every namespace, and can run twice', async () => {
    const pid = target.process.pid;
    await lab.cleanup();
    await lab.cleanup();
    assert.ok([0, null].includes(await target.process.exited), 'target stopped');
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    const left = listNamespaces().filter(
      (ns) => ns.startsWith(`${lab.id}-`) || ns.startsWith(`${lab.id}_`),
    );
    assert.deepEqual(left, []);
    assert.throws(() => lab.spawn('target', 'true', []), { code: 'UNAVAILABLE' });
  });
});

describe(
  'netns lab: stale sweeping',
  { skip: available.ok ? false : available.reason, timeout: 30_000 },
  () => {
    it('deletes our namespaces whose creator died and leaves other namespaces alone', async (t) => {
      const deadPid = exitedPid();
      const stale = `cc${deadPid}x1-stale`;
      const foreign = `ccx${deadPid}-notours`;
      t.after(() => {
        for (const ns of listNamespaces().filter((name) => name === stale || name === foreign))
          execFileSync('ip', ['netns', 'del', ns]);
      });
      execFileSync('ip', ['netns', 'add', stale]);
      execFileSync('ip', ['netns', 'add', foreign]);

      const lab = await createLab([{ name: 'solo' }]);
      t.after(() => lab.cleanup());
      const names = listNamespaces();
      assert.ok(!names.includes(stale), 'stale lab namespace swept');
      assert.ok(names.includes(foreign), 'namespace outside our pattern untouched');
      assert.ok(names.includes(lab.host('solo').ns));
    });
  },
);

describe('netns helper pure parts', () => {
  it('recognises exactly the namespace names it creates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4_194_304 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/),
        (pid, n, host) => {
          const id = `cc${pid}x${n}`;
          assert.deepEqual(parseLabNamespace(`${id}-${host}`), { labId: id, pid });
          assert.deepEqual(parseLabNamespace(`${id}_br`), { labId: id, pid });
          assert.equal(parseLabNamespace(`x${id}-${host}`), undefined);
          assert.equal(parseLabNamespace(`${id}`), undefined);
        },
      ),
    );
    assert.equal(parseLabNamespace('mon-br'), undefined);
    assert.equal(parseLabNamespace('cc12x-a'), undefined);
  });

  it('renders one nft table that drops both directions for every blocked peer', () => {
    const ipv4 = fc.ipV4();
    fc.assert(
      fc.property(fc.uniqueArray(ipv4, { maxLength: 5 }), (peers) => {
        const script = nftRuleset(peers);
        assert.match(script, /ip daddr @blocked drop/);
        assert.match(script, /ip saddr @blocked drop/);
        for (const peer of peers) assert.ok(script.includes(peer));
        assert.equal(script.includes('add element'), peers.length > 0);
      }),
    );
  });

  it('keeps the tail of captured output within the bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 50 }),
        (chunks, max) => {
          let kept = '';
          for (const chunk of chunks) kept = appendBounded(kept, chunk, max);
          const whole = chunks.join('');
          assert.equal(kept, whole.slice(Math.max(0, whole.length - max)));
        },
      ),
    );
  });
});

function listNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

/** The pid of a process that has already exited (so no live process owns it right now). */
function exitedPid(): number {
  const output = execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
  return Number(output.trim());
}

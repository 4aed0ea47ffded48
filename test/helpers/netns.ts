// Multi-host test harness: real "hosts" on one machine as Linux network namespaces.
//
// Layout of one lab (prefix `cc<pid>x<n>`, unique per process and lab):
//   <prefix>_br        namespace holding bridge br0; one veth `vh<i>` per host is a port of br0
//   <prefix>-<host>    one namespace per host: `eth0` (the veth's peer) with 10.231.<n%250>.<11+i>/24, lo up
// Nothing else: no default route, no forwarding, no NAT. A packet to an address outside the lab
// fails inside the namespace instead of leaving the machine.
//
// Usage in a test (cleanup runs even when the test fails):
//   const lab = await createLab([{ name: 'agent-a', region: 'eu' }, { name: 'target' }]);
//   t.after(() => lab.cleanup());
// Tests that need root/ip/nft skip when `netnsAvailable()` is not ok. A process 'exit' hook also
// deletes the namespaces (best effort), and createLab sweeps labs whose creating process died.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import { findTool, killQuietly, labProcess, pidAlive, run } from './netns-process.ts';
import type { LabProcess, RunResult, TrackedProcess } from './netns-process.ts';
import type { TargetAnnouncement } from './netns-target.ts';

export type { LabProcess } from './netns-process.ts';

/** A host to create: `name` is [a-z0-9-], 1–32 chars; `region` is carried for cluster tests. */
export interface LabHostSpec {
  name: string;
  region?: string;
}

/** A created host: its namespace and its address on the lab's /24. */
export interface LabHost {
  name: string;
  ns: string;
  address: string;
  region: string | undefined;
}

/** A running lab; see the file comment for the layout. */
export interface Lab {
  /** `cc<pid>x<n>`: every namespace of this lab starts with it. */
  readonly id: string;
  /** Every namespace of the lab, the bridge's included. */
  readonly namespaces: readonly string[];
  readonly hosts: ReadonlyMap<string, LabHost>;
  /** The named host; throws NOT_FOUND for an unknown name. */
  host(name: string): LabHost;
  /** Spawns a process inside a host's namespace (`ip netns exec`), tracked and killed by PID at cleanup. */
  spawn(
    host: string,
    command: string,
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; cwd?: string },
  ): LabProcess;
  /** Runs a command inside a host's namespace to completion (killed after `timeoutMs`, default 15 s). */
  exec(
    host: string,
    command: string,
    args: string[],
    options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv },
  ): Promise<RunResult>;
  /** One ping from inside `from` to `to`'s address (1 s wait): true when it answered. */
  canReach(from: string, to: string): Promise<boolean>;
  /** Sets the host's veth down on the bridge side: the host loses every link. */
  cutLink(host: string): Promise<void>;
  /** Undoes cutLink. */
  healLink(host: string): Promise<void>;
  /** nftables drop inside `host`'s namespace of traffic to and from `peer`'s address; other links stay. */
  block(host: string, peer: string): Promise<void>;
  /** Undoes block. */
  unblock(host: string, peer: string): Promise<void>;
  /** Kills tracked processes (SIGTERM, then SIGKILL after a bound) and deletes the namespaces; idempotent. */
  cleanup(): Promise<void>;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Our namespaces and only ours: `cc<pid>x<n>` then `_br` or `-<host>`. */
const LAB_NS_PATTERN = /^cc(\d+)x(\d+)(?:_br|-[a-z0-9][a-z0-9-]*)$/;
const MAX_HOSTS = 200;
const NFT_TABLE = 'crosscheck_lab';
const KILL_GRACE_MS = 2000;
const TARGET_READY_MS = 15_000;
const TARGET_SCRIPT = path.join(import.meta.dirname, 'netns-target.ts');

// Process-wide on purpose: the 'exit' hook must find every lab still alive in this process, and
// the counter keeps lab ids unique per process.
const liveLabs = new Map<string, () => void>();
let labCounter = 0;
let exitHookInstalled = false;

/** Whether namespace tests can run here: root, plus `ip` and `nft` installed. */
export function netnsAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root' };
  for (const tool of ['ip', 'nft'])
    if (!findTool(tool)) return { ok: false, reason: `\`${tool}\` is not installed` };
  return { ok: true };
}

/** Parses a namespace name of ours into the lab id and its creating pid (undefined if not ours). */
export function parseLabNamespace(name: string): { labId: string; pid: number } | undefined {
  const match = LAB_NS_PATTERN.exec(name);
  if (!match?.[1] || !match[2]) return undefined;
  return { labId: `cc${match[1]}x${match[2]}`, pid: Number(match[1]) };
}

/** Builds the lab's namespaces, bridge and links; see the file comment for the layout. */
export async function createLab(hosts: LabHostSpec[]): Promise<Lab> {
  const available = netnsAvailable();
  if (!available.ok) throw new AppError('UNAVAILABLE', available.reason);
  validateSpecs(hosts);
  await sweepStaleLabs();
  installExitHook();

  labCounter += 1;
  const id = `cc${process.pid}x${labCounter}`;
  const subnet = `10.231.${labCounter % 250}`;
  const bridgeNs = `${id}_br`;
  const labHosts = new Map<string, LabHost & { veth: string }>();
  hosts.forEach((spec, index) =>
    labHosts.set(spec.name, {
      name: spec.name,
      ns: `${id}-${spec.name}`,
      address: `${subnet}.${11 + index}`,
      region: spec.region,
      veth: `vh${index}`,
    }),
  );
  const namespaces = [bridgeNs, ...[...labHosts.values()].map((host) => host.ns)];
  const processes = new Set<TrackedProcess>();
  const blocked = new Map<string, Set<string>>();
  let cleaned: Promise<void> | undefined;

  const deleteNamespacesSync = (): void => {
    for (const process_ of processes) process_.killSync();
    for (const ns of namespaces.toReversed()) deleteNamespaceSync(ns);
  };
  liveLabs.set(id, deleteNamespacesSync);

  const find = (name: string): LabHost & { veth: string } => {
    const host = labHosts.get(name);
    if (!host) throw new AppError('NOT_FOUND', `lab host ${name} not found`);
    return host;
  };
  const applyBlocks = async (host: LabHost & { veth: string }): Promise<void> => {
    const peers = [...(blocked.get(host.name) ?? [])].map((peer) => find(peer).address);
    await run(tool('ip'), ['netns', 'exec', host.ns, tool('nft'), '-f', '-'], {
      input: nftRuleset(peers),
    });
  };

  const lab: Lab = {
    id,
    namespaces,
    hosts: labHosts,
    host: find,
    spawn(host, command, args, options = {}) {
      if (cleaned) throw new AppError('UNAVAILABLE', `lab ${id} was cleaned up`);
      const ns = find(host).ns;
      const child = spawn(tool('ip'), ['netns', 'exec', ns, command, ...args], {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      });
      const tracked = labProcess(child, KILL_GRACE_MS);
      processes.add(tracked);
      void tracked.exited.then(() => processes.delete(tracked));
      return tracked;
    },
    async exec(host, command, args, options = {}) {
      const ns = find(host).ns;
      return run(tool('ip'), ['netns', 'exec', ns, command, ...args], {
        timeoutMs: options.timeoutMs ?? 15_000,
        env: { ...process.env, ...options.env },
        allowFailure: true,
      });
    },
    async canReach(from, to) {
      const result = await lab.exec(from, tool('ping'), ['-n', '-c1', '-W1', find(to).address], {
        timeoutMs: 5000,
      });
      return result.code === 0;
    },
    async cutLink(host) {
      await runIp(['-n', bridgeNs, 'link', 'set', find(host).veth, 'down']);
    },
    async healLink(host) {
      await runIp(['-n', bridgeNs, 'link', 'set', find(host).veth, 'up']);
    },
    async block(host, peer) {
      const target = find(host);
      find(peer);
      blocked.set(host, (blocked.get(host) ?? new Set()).add(peer));
      await applyBlocks(target);
    },
    async unblock(host, peer) {
      const target = find(host);
      blocked.get(host)?.delete(peer);
      await applyBlocks(target);
    },
    cleanup() {
      cleaned ??= (async () => {
        await Promise.allSettled([...processes].map((tracked) => tracked.kill()));
        for (const ns of namespaces.toReversed()) await deleteNamespace(ns);
        liveLabs.delete(id);
      })();
      return cleaned;
    },
  };

  try {
    await buildTopology(bridgeNs, [...labHosts.values()]);
  } catch (error) {
    await lab.cleanup();
    throw error;
  }
  return lab;
}

/**
 * Starts netns-target.ts inside `host` and waits for its announcement (ports on the host's
 * address). `httpPort` fixes the HTTP port, to start a stopped target again behind the same URL.
 */
export async function startTargetServers(
  lab: Lab,
  host: string,
  options: { httpPort?: number } = {},
): Promise<{
  process: LabProcess;
  address: string;
  httpPort: number;
  tcpPort: number;
  dnsPort: number;
  /** The name the target's DNS server answers with `address`. */
  dnsName: string;
}> {
  const address = lab.host(host).address;
  const child = lab.spawn(host, process.execPath, [
    TARGET_SCRIPT,
    '--address',
    address,
    '--name',
    host,
    ...(options.httpPort === undefined ? [] : ['--http-port', String(options.httpPort)]),
  ]);
  const deadline = Date.now() + TARGET_READY_MS;
  for (;;) {
    const line = child.stdout().split('\n')[0];
    if (line && child.stdout().includes('\n')) {
      const announced = JSON.parse(line) as TargetAnnouncement;
      return { process: child, ...announced };
    }
    const exitCode = await Promise.race([child.exited, delay(50).then(() => 'running' as const)]);
    if (exitCode !== 'running' || Date.now() > deadline) {
      await child.kill('SIGKILL');
      throw new AppError(
        'UNAVAILABLE',
        `target servers in ${host} did not start (${exitCode === 'running' ? 'timeout' : `exit ${exitCode}`}): ${child.stderr()}`,
      );
    }
  }
}

/** The nft script that (re)defines our table inside one namespace, dropping to/from `peers`. */
export function nftRuleset(peers: readonly string[]): string {
  const elements =
    peers.length > 0 ? `add element inet ${NFT_TABLE} blocked { ${peers.join(', ')} }\n` : '';
  // "table X" before "delete table X" makes the delete valid whether or not the table exists.
  return (
    `table inet ${NFT_TABLE}\n` +
    `delete table inet ${NFT_TABLE}\n` +
    `table inet ${NFT_TABLE} {\n` +
    `  set blocked { type ipv4_addr; }\n` +
    `  chain output { type filter hook output priority 0; policy accept; ip daddr @blocked drop; }\n` +
    `  chain input { type filter hook input priority 0; policy accept; ip saddr @blocked drop; }\n` +
    `}\n` +
    elements
  );
}

async function buildTopology(
  bridgeNs: string,
  hosts: readonly (LabHost & { veth: string })[],
): Promise<void> {
  await runIp(['netns', 'add', bridgeNs]);
  await runIp(['-n', bridgeNs, 'link', 'set', 'lo', 'up']);
  await runIp(['-n', bridgeNs, 'link', 'add', 'br0', 'type', 'bridge']);
  await runIp(['-n', bridgeNs, 'link', 'set', 'br0', 'up']);
  for (const host of hosts) {
    await runIp(['netns', 'add', host.ns]);
    await runIp([
      '-n',
      bridgeNs,
      'link',
      'add',
      host.veth,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      host.ns,
    ]);
    await runIp(['-n', bridgeNs, 'link', 'set', host.veth, 'master', 'br0', 'up']);
    await runIp(['-n', host.ns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
    await runIp(['-n', host.ns, 'link', 'set', 'eth0', 'up']);
    await runIp(['-n', host.ns, 'link', 'set', 'lo', 'up']);
  }
}

function validateSpecs(hosts: readonly LabHostSpec[]): void {
  const issues: { path: string; message: string }[] = [];
  if (hosts.length === 0) issues.push({ path: 'hosts', message: 'at least one host' });
  if (hosts.length > MAX_HOSTS)
    issues.push({ path: 'hosts', message: `at most ${MAX_HOSTS} hosts` });
  const seen = new Set<string>();
  hosts.forEach((spec, index) => {
    if (!NAME_PATTERN.test(spec.name))
      issues.push({
        path: `hosts.${index}.name`,
        message: 'must be [a-z0-9-], 1-32 chars, not starting with -',
      });
    if (seen.has(spec.name))
      issues.push({ path: `hosts.${index}.name`, message: 'duplicate host name' });
    seen.add(spec.name);
  });
  if (issues.length > 0)
    throw new AppError(
      'VALIDATION',
      issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
      { issues },
    );
}

/** Deletes namespaces of ours whose creating process is gone (or is us, for a lab we do not know). */
async function sweepStaleLabs(): Promise<void> {
  const listed = await run(tool('ip'), ['netns', 'list']);
  for (const line of listed.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const parsed = parseLabNamespace(name);
    if (!parsed) continue;
    const stale = parsed.pid === process.pid ? !liveLabs.has(parsed.labId) : !pidAlive(parsed.pid);
    if (stale) await deleteNamespace(name);
  }
}

/** Kills what still runs inside the namespace (only our labs' processes live there), then deletes it. */
async function deleteNamespace(ns: string): Promise<void> {
  const pids = await run(tool('ip'), ['netns', 'pids', ns], { allowFailure: true });
  for (const pid of pids.stdout
    .split('\n')
    .map(Number)
    .filter((pid) => pid > 0))
    killQuietly(pid, 'SIGKILL');
  await run(tool('ip'), ['netns', 'del', ns], { allowFailure: true });
}

function deleteNamespaceSync(ns: string): void {
  try {
    execFileSync(tool('ip'), ['netns', 'del', ns], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // Best effort at exit: the next createLab sweeps what is left.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const deleteSync of liveLabs.values()) deleteSync();
  });
}

/** Absolute path of a required tool (root's sbin may be missing from PATH). */
function tool(name: 'ip' | 'nft' | 'ping'): string {
  const found = findTool(name);
  if (!found) throw new AppError('UNAVAILABLE', `\`${name}\` is not installed`);
  return found;
}

async function runIp(args: readonly string[]): Promise<void> {
  await run(tool('ip'), args);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The quorum-consensus lab (issue #4) on top of cluster-lab.ts: a coordinator in us-east, two
// agents in eu-west and one in us-east, two target namespaces with real HTTP/TCP/DNS servers,
// and a real webhook receiver inside the coordinator's namespace (alerts leave from there).
// Scenario tests break links or services, then read incidents, rounds and received webhooks.
//
//   const lab = await bootConsensusLab();
//   after(() => lab.cleanup());
//   const monitor = await lab.addMonitor({ name: 's1', type: 'http', target: 'target', webhook: '/s1' });
import { localApiToken } from './local-api.ts';
import { AppError } from '../../src/lib/errors.ts';
import { waitFor } from './cli.ts';
import { bootCluster, COORDINATOR, daemonLogs } from './cluster-lab.ts';
import type { ClusterLab, LabTarget, StoredResult } from './cluster-lab.ts';
import type { IncidentDetailView, IncidentView, RoundView, UptimeView } from './cluster-views.ts';
import { startTargetServers } from './netns.ts';
import type { LabProcess } from './netns.ts';
import { portFilter } from './netns-ports.ts';
import type { PortFilter } from './netns-ports.ts';
import { startLabWebhooks } from './netns-webhooks.ts';
import type { LabWebhooks } from './netns-webhooks.ts';

export const EU = 'eu-west';
export const US = 'us-east';
/** Agents of the lab: two in eu-west, one in us-east (the coordinator is us-east too). */
export const AGENTS = [
  { name: 'eu-1', region: EU },
  { name: 'eu-2', region: EU },
  { name: 'us-1', region: US },
] as const;
/** Target hosts: `target` (cluster-lab's) and a second one. */
export const TARGET_HOSTS = ['target', 'target2'] as const;
export type TargetHost = (typeof TARGET_HOSTS)[number];

/** A monitor a scenario adds on one of the lab's targets. */
export interface ScenarioMonitor {
  name: string;
  type: 'http' | 'tcp' | 'dns';
  target: TargetHost;
  /** Default 1s. */
  interval?: string;
  /** Default 1s. */
  timeout?: string;
  /** Default 2 (the product's default, written out because the tests compute bounds from it). */
  failureThreshold?: number;
  /** Path on the lab receiver for the monitor's alerts (`--webhook`). */
  webhook?: string;
  /** Path on the lab receiver for regional alerts (`--regional-webhook`). */
  regionalWebhook?: string;
  /** More `monitor add` flags, e.g. a quorum rule. */
  flags?: readonly string[];
}

/** One parsed line of a daemon's JSON log. */
export interface LogLine {
  msg?: string;
  monitorId?: string;
  roundId?: string;
  verdict?: string;
  incidentId?: string | null;
  [key: string]: unknown;
}

/** The lab plus the verbs the consensus scenarios use. */
export interface ConsensusLab {
  cluster: ClusterLab;
  hooks: LabWebhooks;
  ports: PortFilter;
  /** Node id by host name (coordinator and agents). */
  nodeIds: Readonly<Record<string, string>>;
  target(host: TargetHost): LabTarget;
  addMonitor(spec: ScenarioMonitor): Promise<{ id: string }>;
  deleteMonitor(id: string): Promise<void>;
  /** Waits until every node (coordinator included) has stored results of the monitor. */
  waitChecking(monitorId: string, timeoutMs?: number): Promise<void>;
  incidents(monitorId?: string): Promise<IncidentView[]>;
  incident(id: string): Promise<IncidentDetailView>;
  /** Decided rounds of a monitor, newest first, from the coordinator's API. */
  rounds(monitorId: string, verdicts?: readonly string[]): Promise<RoundView[]>;
  /** The monitor's uptime over the last hour, per region and per node. */
  uptime(monitorId: string): Promise<UptimeView>;
  /** Stops a target's servers (SIGTERM, waits for the exit). */
  stopTarget(host: TargetHost): Promise<void>;
  /** Starts a stopped target again, HTTP on the same port. */
  startTarget(host: TargetHost): Promise<LabTarget>;
  /** JSON lines of a daemon's stderr (default: the running coordinator). */
  logLines(process?: LabProcess): LogLine[];
  /** Undoes every partition a scenario may have left (blocks, dropped ports, a stopped target). */
  heal(): Promise<void>;
  /** Daemon logs and received webhooks, for an assertion message. */
  diagnostics(): string;
  cleanup(): Promise<void>;
}

/** What a scenario may change about the lab. */
export interface ConsensusLabOptions {
  /** Agents to enrol (default AGENTS); a scenario may add its own, e.g. a fourth. */
  agents?: readonly { name: string; region: string }[];
  /** Group the pages of monitors failing together (the product's default; off otherwise). */
  grouping?: boolean;
}

/** Boots the lab; cleans up after itself when a step fails. */
export async function bootConsensusLab(options: ConsensusLabOptions = {}): Promise<ConsensusLab> {
  const cluster = await bootCluster({
    agents: (options.agents ?? AGENTS).map((agent) => ({ ...agent })),
    target: true,
    extraHosts: ['target2'],
    coordinatorRegion: US,
    heartbeat: '1s',
    // Generous: membership is not under test here, and a loaded 2-core runner must not turn a
    // slow heartbeat into a node-missing alert mid-scenario.
    graceCount: 5,
    // The scenarios prove each monitor's own verdict and page; grouping pages of monitors that
    // fail together is on only where it is under test (`cause-groups.netns.ts`).
    coordinatorFlags: options.grouping === true ? [] : ['--group-min', '0'],
  });
  try {
    const first = cluster.target;
    if (!first) throw new AppError('INTERNAL', 'the cluster lab started no target');
    const targets = new Map<TargetHost, LabTarget>([
      ['target', first],
      ['target2', await startTargetServers(cluster.lab, 'target2')],
    ]);
    const hooks = await startLabWebhooks(cluster.lab, COORDINATOR);
    const routed = await cluster.cli(COORDINATOR, [
      'node',
      'alerts',
      '--webhook',
      hooks.url('/node'),
    ]);
    if (routed.code !== 0)
      throw new AppError('UNAVAILABLE', `node alerts exited ${routed.code}: ${routed.stderr}`);
    return consensusLab(cluster, hooks, targets);
  } catch (error) {
    await cluster.cleanup();
    throw error;
  }
}

function consensusLab(
  cluster: ClusterLab,
  hooks: LabWebhooks,
  targets: Map<TargetHost, LabTarget>,
): ConsensusLab {
  const nodeIds: Record<string, string> = {};
  for (const host of [COORDINATOR, ...cluster.agents]) nodeIds[host] = cluster.node(host).nodeId;
  const target = (host: TargetHost): LabTarget => {
    const found = targets.get(host);
    if (!found) throw new AppError('NOT_FOUND', `target ${host} is not running`);
    return found;
  };

  const lab: ConsensusLab = {
    cluster,
    hooks,
    ports: portFilter(cluster.lab),
    nodeIds,
    target,
    async addMonitor(spec) {
      const created = await cluster.cliJson<{ id: string }>(COORDINATOR, [
        'monitor',
        'add',
        '--name',
        spec.name,
        ...targetFlags(spec.type, target(spec.target)),
        '--interval',
        spec.interval ?? '1s',
        '--timeout',
        spec.timeout ?? '1s',
        '--failure-threshold',
        String(spec.failureThreshold ?? 2),
        ...(spec.webhook === undefined ? [] : ['--webhook', hooks.url(spec.webhook)]),
        ...(spec.regionalWebhook === undefined
          ? []
          : ['--regional-webhook', hooks.url(spec.regionalWebhook)]),
        ...(spec.flags ?? []),
      ]);
      return { id: created.id };
    },
    async deleteMonitor(id) {
      const deleted = await cluster.cli(COORDINATOR, ['monitor', 'delete', id]);
      if (deleted.code !== 0)
        throw new AppError(
          'UNAVAILABLE',
          `monitor delete exited ${deleted.code}: ${deleted.stderr}`,
        );
    },
    async waitChecking(monitorId, timeoutMs = 20_000) {
      const ids = Object.values(nodeIds);
      await waitFor(
        async () => {
          const stored: StoredResult[] = await cluster.history(monitorId);
          return ids.every((id) => stored.some((result) => result.nodeId === id))
            ? true
            : undefined;
        },
        timeoutMs,
        () => `results of ${monitorId} from every node; logs:\n${lab.diagnostics()}`,
        500,
      );
    },
    incidents: (monitorId) =>
      cluster.cliJson<IncidentView[]>(COORDINATOR, [
        'incidents',
        ...(monitorId === undefined ? [] : ['--monitor', monitorId]),
      ]),
    incident: (id) => cluster.cliJson<IncidentDetailView>(COORDINATOR, ['incidents', 'show', id]),
    async rounds(monitorId, verdicts) {
      const query = verdicts === undefined ? '' : `?verdict=${verdicts.join(',')}`;
      const page = await apiGet<{ items: RoundView[] }>(
        cluster,
        `/api/v1/monitors/${monitorId}/rounds${query}`,
      );
      return page.items;
    },
    uptime: (monitorId) =>
      apiGet<UptimeView>(cluster, `/api/v1/monitors/${monitorId}/uptime?window=1h`),
    async stopTarget(host) {
      await target(host).process.kill('SIGTERM');
      targets.delete(host);
    },
    async startTarget(host) {
      if (targets.has(host)) throw new AppError('CONFLICT', `target ${host} already runs`);
      const httpPort = host === 'target' ? cluster.target?.httpPort : undefined;
      if (httpPort === undefined)
        throw new AppError('UNAVAILABLE', `only the first target can be restarted on its port`);
      const started = await startTargetServers(cluster.lab, host, { httpPort });
      targets.set(host, started);
      return started;
    },
    logLines(process = cluster.node(COORDINATOR).process) {
      return parseLogLines(process.stderr());
    },
    async heal() {
      for (const agent of cluster.agents)
        for (const host of TARGET_HOSTS) await cluster.lab.unblock(agent, host);
      if (!targets.has('target')) await lab.startTarget('target');
      for (const host of TARGET_HOSTS) await lab.ports.accept(host, target(host).httpPort);
    },
    diagnostics() {
      const received = hooks
        .requests()
        .map(
          (request) =>
            `${new Date(request.receivedAt).toISOString()} ${request.path} ${String(request.headers['x-crosscheck-event'])} ${String(request.headers['x-crosscheck-idempotency-key'])}`,
        );
      return `${daemonLogs(cluster, 6000)}\n--- webhooks received ---\n${received.join('\n')}`;
    },
    cleanup: () => cluster.cleanup(),
  };
  return lab;
}

/** `monitor add` flags naming the target of one check type on a lab target. */
function targetFlags(type: ScenarioMonitor['type'], target: LabTarget): string[] {
  switch (type) {
    case 'http':
      return ['--type', 'http', '--target', `http://${target.address}:${target.httpPort}/`];
    case 'tcp':
      return ['--type', 'tcp', '--target', `${target.address}:${target.tcpPort}`];
    case 'dns':
      return [
        '--type',
        'dns',
        '--target',
        target.dnsName,
        '--resolver',
        `${target.address}:${target.dnsPort}`,
        '--expect',
        target.address,
      ];
  }
}

/** GET on the coordinator's API, from inside its namespace (the API listens on its loopback). */
async function apiGet<T>(cluster: ClusterLab, urlPath: string): Promise<T> {
  const url = `${cluster.node(COORDINATOR).apiUrl}${urlPath}`;
  // Every request needs the token file's token, loopback included; it travels in the
  // environment, not on the command line.
  const script =
    'const r = await fetch(process.argv[1], { headers: { authorization: `Bearer ${process.env.CROSSCHECK_TEST_TOKEN}` } }); process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1);';
  const result = await cluster.lab.exec(
    COORDINATOR,
    process.execPath,
    ['--input-type=module', '-e', script, url],
    {
      timeoutMs: 15_000,
      env: { CROSSCHECK_TEST_TOKEN: localApiToken(cluster.dataDir(COORDINATOR)) },
    },
  );
  if (result.code !== 0)
    throw new AppError(
      'UNAVAILABLE',
      `GET ${urlPath} failed (${result.code}): ${result.stdout}${result.stderr}`,
    );
  return JSON.parse(result.stdout) as T;
}

function parseLogLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // A line cut at the capture bound or still being written: not a log record yet.
    }
  }
  return lines;
}

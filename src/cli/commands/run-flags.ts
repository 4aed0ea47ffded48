import { Option } from 'commander';
import type { Command } from 'commander';
import { isNodeConfigSetting, NODE_CONFIG_ENV } from '../../config/node-config.ts';
import { collectRepeated } from '../check-flags.ts';

/** `--canary` help, shared by every command that sets a node's canaries. */
export const CANARY_FLAG_HELP =
  'a target this node should always reach, e.g. tcp:192.168.1.1:53, icmp:192.168.1.1, http:http://intranet.local/health (repeatable; when most fail, this node abstains instead of voting down)';

/** A flag of a command that runs a node (`start`, `agent`). */
export interface NodeFlag {
  /** As commander takes it, e.g. `--storage-budget <size>`. */
  flags: string;
  description: string;
  /**
   * Read by the coordinator only: an agent given it on its command line refuses to start, and
   * one given its environment variable warns (see `start.ts`). The help says so.
   */
  coordinatorOnly?: true;
  /** Given several times, every value is kept. */
  repeatable?: true;
}

/** The flags of every command that runs a node. */
export const RUN_FLAGS: readonly NodeFlag[] = [
  {
    flags: '--api-listen <host:port>',
    description: 'API address (default 127.0.0.1:7434; a token is required beyond loopback)',
  },
  {
    flags: '--listen <host:port>',
    description: 'peer port, mutual TLS (default 0.0.0.0:7433)',
    coordinatorOnly: true,
  },
  {
    flags: '--public-listen <host:port>',
    description:
      'also serve status pages, feeds and badges (and nothing else) here (env CROSSCHECK_PUBLIC_LISTEN)',
    coordinatorOnly: true,
  },
  {
    flags: '--log-level <level>',
    description: 'fatal, error, warn, info, debug, trace or silent (default info)',
  },
  {
    flags: '--log-format <format>',
    description: 'json or pretty (default: pretty on a terminal, else json)',
  },
  { flags: '--concurrency <n>', description: 'most checks running at once (default 256)' },
  {
    flags: '--check-threads <n>',
    description:
      'threads running checks beside the main thread: auto (one per core, from 2,000 monitors on), a number, or 0 for none (default auto; env CROSSCHECK_CHECK_THREADS)',
  },
  {
    flags: '--chromium-path <path>',
    description:
      'Chromium for browser checks (env CROSSCHECK_CHROMIUM; default /usr/bin/chromium, chromium-browser…; none: browser checks abstain)',
  },
  {
    flags: '--browser-concurrency <n>',
    description:
      'most browser checks running at once on this node (default 2; env CROSSCHECK_BROWSER_CONCURRENCY)',
  },
  {
    flags: '--retain-results <duration>',
    description: 'keep raw results this long (default 7d; rollups are kept longer)',
    coordinatorOnly: true,
  },
  {
    flags: '--storage-budget <size>',
    description:
      'keep the database within this size (e.g. 500MB, 20GB) by shortening the raw results window, never below 1h; rollups are unaffected (env CROSSCHECK_STORAGE_BUDGET)',
    coordinatorOnly: true,
  },
  { flags: '--heartbeat-interval <duration>', description: 'agent heartbeat period (default 5s)' },
  {
    // Not coordinator-only: an agent paces its reconnects with it until the coordinator's
    // welcome tells it the coordinator's value (`cluster/peer/reconnect-backoff.ts`).
    flags: '--grace-count <n>',
    description:
      'missed heartbeats before a node is missing (default 6; agents take the coordinator’s once connected)',
  },
  {
    flags: '--outbox-max <n>',
    description: 'agent: most results kept while the coordinator is away (default 1000000)',
  },
  {
    flags: '--group-wait <duration>',
    description:
      'how long the first page of monitors failing together (same host, resolver, region or group) waits for the others being judged (default 30s; env CROSSCHECK_GROUP_WAIT)',
    coordinatorOnly: true,
  },
  {
    flags: '--group-window <duration>',
    description:
      'a grouped page takes later failures of the same cause silently while its latest one is at most this old (default 5m; env CROSSCHECK_GROUP_WINDOW)',
    coordinatorOnly: true,
  },
  {
    flags: '--group-min <n>',
    description:
      'fewest monitors failing together that page as one group; 0 turns grouping off (default 2; env CROSSCHECK_GROUP_MIN)',
    coordinatorOnly: true,
  },
  {
    flags: '--public-url <url>',
    description:
      'the dashboard address people use, for links in alerts (env CROSSCHECK_PUBLIC_URL)',
    coordinatorOnly: true,
  },
  {
    flags: '--database-url <url>',
    description:
      'keep the data in this PostgreSQL database, postgres://user:password@host:port/db?sslmode=disable|require|verify-full, instead of the data dir’s SQLite file (env CROSSCHECK_DATABASE_URL, which wins over what init recorded; docs/postgresql.md)',
    coordinatorOnly: true,
  },
  {
    flags: '--database-ca <file>',
    description:
      'CA certificate (PEM) the PostgreSQL server’s certificate is checked against (env CROSSCHECK_DATABASE_CA; or sslrootcert in the URL)',
    coordinatorOnly: true,
  },
  {
    flags: '--lease-ttl <duration>',
    description:
      'several coordinators on one PostgreSQL database: how long the leader’s lease lasts unrenewed; after a leader’s crash another takes over within 1.2 × this (default 10s; env CROSSCHECK_LEASE_TTL)',
    coordinatorOnly: true,
  },
  {
    flags: '--canary <type:target>',
    description: `${CANARY_FLAG_HELP}; replaces the stored list`,
    repeatable: true,
  },
];

/** `start`'s own flags: config as code is applied by the coordinator. */
export const CONFIG_FILE_FLAGS: readonly NodeFlag[] = [
  {
    flags: '--config <file>',
    description:
      'apply this config file at start (problems: exit 2) and whenever it changes (docs/config-file.md)',
    coordinatorOnly: true,
  },
  {
    flags: '--config-prune',
    description: 'with --config: delete monitors the file manages and no longer names',
    coordinatorOnly: true,
  },
];

/** Adds the flags to `command`, coordinator-only ones marked in the help. */
export function addNodeFlags(command: Command, flags: readonly NodeFlag[]): Command {
  for (const flag of flags) {
    const description =
      flag.coordinatorOnly === true ? `coordinator only: ${flag.description}` : flag.description;
    const option = new Option(flag.flags, description);
    if (flag.repeatable === true) option.argParser(collectRepeated);
    command.addOption(option);
  }
  return command;
}

const COORDINATOR_ONLY = [...RUN_FLAGS, ...CONFIG_FILE_FLAGS]
  .filter((flag) => flag.coordinatorOnly === true)
  .map((flag) => new Option(flag.flags));

/** The coordinator-only flags given on `command`'s command line, by their long names. */
export function coordinatorOnlyFlagsGiven(command: Command): string[] {
  return COORDINATOR_ONLY.filter(
    (option) => command.getOptionValueSource(option.attributeName()) === 'cli',
  ).map((option) => option.long ?? option.flags);
}

/** The environment variables of coordinator-only settings that `env` sets. */
export function coordinatorOnlyEnvSet(env: NodeJS.ProcessEnv): string[] {
  return COORDINATOR_ONLY.map((option) => option.attributeName())
    .filter(isNodeConfigSetting)
    .map((setting) => NODE_CONFIG_ENV[setting])
    .filter((name) => env[name] !== undefined);
}

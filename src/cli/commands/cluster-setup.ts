import os from 'node:os';
import { Command } from 'commander';
import { ROLES } from '../../operations/kit.ts';
import { parseCanaryFlags } from '../../checks/canary-spec.ts';
import { createLogger } from '../../observability/logger.ts';
import { validationError } from '../../lib/errors.ts';
import { collectRepeated } from '../check-flags.ts';
import type { CliContext } from '../context.ts';
import { dataDirOf, withBackend } from '../context.ts';
import { createJoinToken } from '../../operations/cluster-ops.ts';
import { isoTime } from '../output.ts';
import { parseLabelFlags } from './monitor-flags.ts';
import { CANARY_FLAG_HELP } from './run-flags.ts';
import { databaseRecordOf } from './database-flags.ts';
import { databaseSettingFrom, resolveDatabase } from '../../config/database-config.ts';

export interface PlacementFlags {
  name?: string;
  region?: string;
  label?: string[];
  canary?: string[];
}

export function placement(opts: PlacementFlags) {
  const name = opts.name ?? os.hostname();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    throw validationError([
      { path: '--name', message: 'letters, digits, dot, dash and underscore only (max 64)' },
    ]);
  return {
    name,
    region: opts.region ?? null,
    labels: parseLabelFlags('--label', opts.label ?? []),
    canaries: parseCanaryFlags(opts.canary ?? []),
  };
}

export function addPlacementFlags(command: Command): Command {
  return command
    .option('--name <name>', 'node name shown in node lists (default: the host name)')
    .option('--region <region>', 'region of this vantage point, e.g. eu-west')
    .option('--label <key=value>', 'label of this node (repeatable)', collectRepeated)
    .option('--canary <type:target>', CANARY_FLAG_HELP, collectRepeated);
}

/** `crosscheck init`: makes the data dir a coordinator and exits. */
export function initCommand(ctx: CliContext): Command {
  return addPlacementFlags(
    new Command('init').description(
      'set this data dir up as the coordinator (CA, certificates, database) and exit',
    ),
  )
    .option('--listen <host:port>', 'peer port address, mutual TLS only', '0.0.0.0:7433')
    .option(
      '--advertise <host:port>',
      'address joining nodes dial (default: the listen address, or this machine’s first non-loopback address)',
    )
    .option(
      '--database-url <url>',
      'keep the data in this PostgreSQL database (postgres://user:password@host:port/db, sslmode=disable|require|verify-full), recorded in the data dir (0600); env CROSSCHECK_DATABASE_URL is used but not recorded. Default: a SQLite file in the data dir',
    )
    .option(
      '--database-ca <file>',
      'CA certificate (PEM) for the PostgreSQL server’s certificate (env CROSSCHECK_DATABASE_CA)',
    )
    .action(
      async (
        opts: PlacementFlags & {
          listen: string;
          advertise?: string;
          databaseUrl?: string;
          databaseCa?: string;
        },
        command: Command,
      ) => {
        const dataDir = dataDirOf(command, ctx);
        const setting = databaseSettingFrom(opts, ctx.env);
        const database = resolveDatabase(dataDir, setting);
        // Loaded on use: certificate handling is heavy and only these two commands need it.
        const { initCoordinator } = await import('../../app/cluster-setup.ts');
        const identity = await initCoordinator({
          dataDir,
          ...placement(opts),
          listen: opts.listen,
          advertise: opts.advertise ?? null,
          logger: createLogger('warn', 'json'),
          database,
          databaseRecord: databaseRecordOf(setting, database),
        });
        const where = database.kind === 'postgres' ? `, data in PostgreSQL ${database.where}` : '';
        ctx.out.line(
          `initialised coordinator ${identity.name} (${identity.nodeId}) in ${dataDir}${where}; run it with: crosscheck agent --data-dir ${dataDir}`,
        );
      },
    );
}

/** `crosscheck join <token>`: enrols this data dir as an agent and exits. */
export function joinCommand(ctx: CliContext): Command {
  return addPlacementFlags(
    new Command('join')
      .description(
        'enrol this data dir as an agent of the coordinator named in the token, and exit',
      )
      .argument('<token>', 'token printed by `crosscheck join-token` on the coordinator'),
  ).action(async (token: string, opts: PlacementFlags, command: Command) => {
    const dataDir = dataDirOf(command, ctx);
    const { joinCluster } = await import('../../app/cluster-setup.ts');
    const identity = await joinCluster({ dataDir, token, ...placement(opts) });
    ctx.out.line(
      `joined as ${identity.name} (${identity.nodeId}), coordinator ${identity.coordinator?.name ?? '?'} at ${identity.coordinator?.address ?? '?'}; run it with: crosscheck agent --data-dir ${dataDir}`,
    );
  });
}

/** `crosscheck join-token`: prints a single-use join token (alone on stdout). */
export function joinTokenCommand(ctx: CliContext): Command {
  return new Command('join-token')
    .description('print a single-use token that lets one node join this cluster')
    .option('--expires <duration>', 'how long the token stays valid (default 1h, max 7d)')
    .option(
      '--role <role>',
      'role of the joined node’s CLI on this cluster: viewer, editor or admin (default editor)',
    )
    .option(
      '--coordinator',
      'the token enrols another coordinator on this PostgreSQL database (`crosscheck coordinator join`), which receives the CA key',
    )
    .action(
      async (opts: { expires?: string; role?: string; coordinator?: true }, command: Command) => {
        await withBackend(command, ctx, async (backend) => {
          const role = opts.role === undefined ? undefined : ROLES.find((r) => r === opts.role);
          if (opts.role !== undefined && role === undefined)
            throw validationError([
              { path: '--role', message: 'expected viewer, editor or admin' },
            ]);
          if (opts.coordinator === true && role !== undefined)
            throw validationError([
              {
                path: '--role',
                message: 'a coordinator needs no CLI role (it reads the database)',
              },
            ]);
          const { token, expiresAt } = await backend.call(createJoinToken, {
            ...(opts.expires === undefined ? {} : { expires: opts.expires }),
            ...(role === undefined ? {} : { role }),
            ...(opts.coordinator === true ? { kind: 'coordinator' as const } : {}),
          });
          ctx.out.line(token);
          const what = opts.coordinator === true ? 'one coordinator' : 'one node';
          ctx.out.error(`valid until ${isoTime(expiresAt)}, for ${what}`);
        });
      },
    );
}

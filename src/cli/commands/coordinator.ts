import { Command } from 'commander';
import { databaseSettingFrom, resolveDatabase } from '../../config/database-config.ts';
import { parseListenAddress } from '../../config/node-config.ts';
import { validationError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { dataDirOf } from '../context.ts';
import type { PlacementFlags } from './cluster-setup.ts';
import { addPlacementFlags, placement } from './cluster-setup.ts';
import { databaseRecordOf } from './database-flags.ts';

interface CoordinatorJoinFlags extends PlacementFlags {
  databaseUrl?: string;
  databaseCa?: string;
  listen: string;
  apiListen?: string;
  advertise?: string;
}

/** `crosscheck coordinator join <token>`: sets this data dir up as another coordinator. */
function coordinatorJoinCommand(ctx: CliContext): Command {
  return addPlacementFlags(
    new Command('join')
      .description(
        'set this data dir up as another coordinator of the cluster on its PostgreSQL database (it receives the CA key), and exit',
      )
      .argument('<token>', 'token printed by `crosscheck join-token --coordinator`'),
  )
    .option(
      '--database-url <url>',
      'the PostgreSQL database the cluster’s coordinators share, postgres://user:password@host:port/db (env CROSSCHECK_DATABASE_URL, which is then not recorded); required',
    )
    .option(
      '--database-ca <file>',
      'CA certificate (PEM) for the PostgreSQL server’s certificate (env CROSSCHECK_DATABASE_CA)',
    )
    .option('--listen <host:port>', 'this coordinator’s peer port, mutual TLS', '0.0.0.0:7433')
    .option(
      '--api-listen <host:port>',
      'the API address to start it with (shown in the start command; default 127.0.0.1:7434)',
    )
    .option(
      '--advertise <host:port>',
      'address nodes dial to reach this coordinator (default: the peer address, or this machine’s first non-loopback address)',
    )
    .action(async (token: string, opts: CoordinatorJoinFlags, command: Command) => {
      const dataDir = dataDirOf(command, ctx);
      const setting = databaseSettingFrom(opts, ctx.env);
      if (setting.url === undefined)
        throw validationError(
          [{ path: '--database-url', message: 'required' }],
          'a coordinator joins the PostgreSQL database the cluster’s coordinators share: give it with --database-url (or CROSSCHECK_DATABASE_URL)',
        );
      const database = resolveDatabase(dataDir, setting);
      if (database.kind !== 'postgres')
        throw validationError([{ path: '--database-url', message: 'expected a PostgreSQL URL' }]);
      if (opts.apiListen !== undefined) parseListenAddress(opts.apiListen, '--api-listen');
      const where = placement(opts);
      const { joinAsCoordinator } = await import('../../app/coordinator-join.ts');
      const joined = await joinAsCoordinator({
        dataDir,
        token,
        ...where,
        database,
        databaseRecord: databaseRecordOf(setting, database) ?? { url: null, ca: null },
        peerListen: opts.listen,
        advertise: opts.advertise ?? null,
      });
      const { identity, enrolledBy } = joined;
      ctx.out.line(
        `joined as coordinator ${identity.name} (${identity.nodeId}), enrolled by ${enrolledBy.name} at ${enrolledBy.address}; data in PostgreSQL ${joined.databaseWhere}`,
      );
      ctx.out.line(
        `wrote ${dataDir}: node.json, certs/ca.crt, certs/ca.key (0600), certs/node.crt, certs/node.key (0600), database.json (0600)`,
      );
      const api = opts.apiListen === undefined ? '' : ` --api-listen ${opts.apiListen}`;
      const env = setting.url.field === '--database-url' ? '' : 'CROSSCHECK_DATABASE_URL=… ';
      ctx.out.line(`run it with: ${env}crosscheck start --data-dir ${dataDir}${api}`);
    });
}

/** `crosscheck coordinator …`: setting up further coordinators. */
export function coordinatorCommand(ctx: CliContext): Command {
  return new Command('coordinator')
    .description('set up another coordinator of this cluster (PostgreSQL only)')
    .addCommand(coordinatorJoinCommand(ctx));
}

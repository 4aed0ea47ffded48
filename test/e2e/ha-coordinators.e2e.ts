import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { NodeView } from '../../src/services/cluster/cluster-service.ts';
import type { HealthView } from '../../src/services/health-service.ts';
import type { MonitorStatusView } from '../../src/services/status-service.ts';
import type { CliRun, DaemonProcess } from '../helpers/cli.ts';
import { runCrosscheck, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import {
  createTestDatabase,
  postgresBinDir,
  postgresUrl,
  startPostgres,
} from '../helpers/postgres-server.ts';
import type { TestPostgres } from '../helpers/postgres-server.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

// Two coordinators on one PostgreSQL database and an agent, as a user runs them: `init
// --database-url`, `join-token --coordinator`, `coordinator join`, `join`, the real daemons.
// One leads; the other serves the API and applies what the leader announces; a monitor made on
// the follower is checked by the leader; the leader is killed -9 during an outage and the
// follower takes over: one `down` page and one `recovered` page, no node page.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
/**
 * Short, so the test waits seconds for a failover (the takeover comes within 1.2 × this), and
 * long enough that a loaded CI machine does not cost a healthy leader its lease.
 */
const LEASE_TTL_MS = 5_000;
const LEASE = ['--lease-ttl', `${LEASE_TTL_MS}ms`];

describe(
  'two coordinators on one PostgreSQL database, end to end',
  { skip, timeout: 300_000 },
  () => {
    let server: TestPostgres;
    let database: { url: string; drop(): Promise<void> };
    let url: string;
    let root: string;
    const dirs = { a: '', b: '', agent: '' };
    const daemons = new Map<string, DaemonProcess>();
    let failing = false;
    let target: http.Server;
    let targetUrl: string;
    let receiver: WebhookReceiver;

    const cli = (dir: string, args: string[]): Promise<CliRun> =>
      runCrosscheck(args, { CROSSCHECK_DATA_DIR: dir });
    const json = async <T>(dir: string, args: string[]): Promise<T> => {
      const run = await cli(dir, [...args, '--json']);
      assert.equal(run.code, 0, `crosscheck ${args.join(' ')}: ${run.stderr}`);
      return JSON.parse(run.stdout) as T;
    };
    const start = async (name: keyof typeof dirs) => {
      const agent = name === 'agent';
      daemons.set(name, await startDaemon(dirs[name], agent ? [] : LEASE, {}, { agent }));
    };
    const lease = async (dir: string) =>
      (await json<HealthView>(dir, ['health'])).cluster?.lease ?? null;
    const pages = () =>
      receiver.requests.map((request) => (request.json as { kind: string }).kind).sort();
    /** The pages as a deduplicating receiver sees them: one per idempotency key. */
    const pagesOnce = () => {
      const byKey = new Map<string, string>();
      for (const request of receiver.requests) {
        const key = request.headers['x-crosscheck-idempotency-key'];
        assert.ok(typeof key === 'string', 'every page carries its idempotency key');
        const body = JSON.stringify(request.json);
        assert.ok(!byKey.has(key) || byKey.get(key) === body, 'a repeat is the same page');
        byKey.set(key, body);
      }
      return [...byKey.values()].map((body) => (JSON.parse(body) as { kind: string }).kind).sort();
    };

    before(async () => {
      server = await startPostgres();
      database = await createTestDatabase(server, 'ha_e2e');
      url = `${postgresUrl(server, 'ha_e2e')}?sslmode=disable`;
      root = fs.mkdtempSync(path.join(tempDataDir(), 'ha-'));
      for (const name of ['a', 'b', 'agent'] as const) dirs[name] = path.join(root, name);
      target = http.createServer((_req, res) => {
        res.statusCode = failing ? 500 : 200;
        res.end(failing ? 'down' : 'ok');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
      receiver = await startWebhookReceiver();
    });

    after(async () => {
      for (const daemon of daemons.values()) await daemon.stop('SIGKILL');
      target?.closeAllConnections();
      await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
      await receiver?.close();
      await database?.drop();
      await server?.stop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('joins a second coordinator, which follows: the lease, node list and health say who leads', async () => {
      const init = await cli(dirs.a, ['init', '--database-url', url, '--name', 'coord-a']);
      assert.equal(init.code, 0, init.stderr);
      await start('a');
      const token = await cli(dirs.a, ['join-token', '--coordinator']);
      assert.equal(token.code, 0, token.stderr);
      const joined = await cli(dirs.b, [
        'coordinator',
        'join',
        token.stdout.trim(),
        '--database-url',
        url,
        '--name',
        'coord-b',
        '--listen',
        '127.0.0.1:0',
      ]);
      assert.equal(joined.code, 0, joined.stderr);
      assert.equal(
        fs.readFileSync(path.join(dirs.b, 'certs', 'ca.key'), 'utf8'),
        fs.readFileSync(path.join(dirs.a, 'certs', 'ca.key'), 'utf8'),
        'the joined coordinator holds the cluster CA key',
      );
      await start('b');

      const a = await lease(dirs.a);
      assert.equal(a?.leading, true, 'the first coordinator leads');
      const b = await lease(dirs.b);
      assert.equal(b?.leading, false, 'the second follows');
      const nodes = await json<NodeView[]>(dirs.b, ['node', 'list']);
      const holders = nodes.filter((node) => node.lease !== null).map((node) => node.name);
      assert.deepEqual(holders, ['coord-a'], 'the follower shows who holds the lease');
      assert.equal(b?.holder?.nodeId, a?.holder?.nodeId);

      const agentToken = await cli(dirs.a, ['join-token']);
      assert.equal(agentToken.code, 0, agentToken.stderr);
      const agent = await cli(dirs.agent, ['join', agentToken.stdout.trim(), '--name', 'agent-1']);
      assert.equal(agent.code, 0, agent.stderr);
      await start('agent');
      await waitFor(
        async () => {
          const list = await json<NodeView[]>(dirs.a, ['node', 'list']);
          return list.find((node) => node.name === 'agent-1')?.state === 'online'
            ? true
            : undefined;
        },
        30_000,
        () => 'the agent online',
      );
    });

    it('checks on the leader a monitor made through the follower, and pages once through a failover', async () => {
      // Made on the follower: the leader's engine and the agent learn it through the database.
      const monitor = await json<Monitor>(dirs.b, [
        'monitor',
        'add',
        '--name',
        'Shop',
        '--type',
        'http',
        '--target',
        targetUrl,
        '--interval',
        '1s',
        '--timeout',
        '800ms',
        '--webhook',
        receiver.url,
      ]);
      const status = async (dir: string) =>
        (await json<MonitorStatusView[]>(dir, ['status'])).find((row) => row.id === monitor.id)
          ?.status;
      await waitFor(
        async () => ((await status(dirs.a)) === 'up' ? true : undefined),
        30_000,
        () => 'the leader checking the monitor made on the follower',
      );
      await waitFor(
        async () => ((await status(dirs.b)) === 'up' ? true : undefined),
        15_000,
        () => 'the follower showing the state the leader wrote',
      );

      failing = true;
      await receiver.waitForRequests(1, 60_000).catch(async (error: unknown) => {
        const log = await cli(dirs.a, ['alerts', 'log', '--json']);
        const lines = (daemons.get('a')?.logs() ?? '')
          .split('\n')
          .filter((line) => /alert|incident|lease|FENCED|leader|warn|error/i.test(line));
        throw new Error(
          `${String(error)}; alert log: ${log.stdout}; leader log: ${lines.slice(-40).join('\n')}`,
        );
      });
      assert.deepEqual(pages(), ['down']);

      // The leader dies mid-outage; the follower takes over within the lease's bound.
      const killedAt = Date.now();
      await daemons.get('a')?.stop('SIGKILL');
      daemons.delete('a');
      await waitFor(
        async () => ((await lease(dirs.b))?.leading === true ? true : undefined),
        1.2 * LEASE_TTL_MS + 5_000,
        () => 'the follower leading after the leader was killed',
        200,
      );
      const failoverMs = Date.now() - killedAt;
      assert.ok(failoverMs <= 1.2 * LEASE_TTL_MS + 5_000, `took over in ${failoverMs} ms`);
      // The agent follows the leader (it learned of coord-b from its welcome).
      await waitFor(
        async () => {
          const list = await json<NodeView[]>(dirs.b, ['node', 'list']);
          return list.find((node) => node.name === 'agent-1')?.state === 'online'
            ? true
            : undefined;
        },
        30_000,
        () => 'the agent online on the new leader',
      );

      failing = false;
      await receiver.waitForRequests(2, 60_000);
      // Time for a late duplicate or a node page to show up.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      // The leader was killed right after its send: the new leader may repeat it, with the same
      // idempotency key, which the receiver (like PagerDuty, Opsgenie…) deduplicates.
      assert.deepEqual(pagesOnce(), ['down', 'recovered'], 'one page per change, none about nodes');
      assert.equal((await status(dirs.b)) === 'up', true);

      // The killed coordinator comes back as a follower of the new leader.
      await start('a');
      const leader = (await lease(dirs.b))?.holder?.nodeId;
      assert.ok(leader !== undefined);
      await waitFor(
        async () => {
          const back = await lease(dirs.a).catch(() => null);
          return back?.leading === false && back.holder?.nodeId === leader ? true : undefined;
        },
        15_000,
        () => `the restarted coordinator following: ${daemons.get('a')?.logs().slice(-2000)}`,
      );
      assert.deepEqual(pagesOnce(), ['down', 'recovered']);
      assert.ok(pages().length <= 3, 'at most the one send the kill interrupted is repeated');
    });
  },
);

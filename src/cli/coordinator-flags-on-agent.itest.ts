import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { joinCluster } from '../app/cluster-setup.ts';
import { runCrosscheck, waitFor } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { closedPort } from '../../test/helpers/tcp-server.ts';
import { RUN_FLAGS } from './commands/run-flags.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');
const cluster = loopbackCluster({ graceCount: 10 });

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('coordinator-only settings given to an agent (the real CLI)', { timeout: 120_000 }, () => {
  let agentDir: string;
  const agentFlags = ['--api-listen', '127.0.0.1:0', '--heartbeat-interval', '200ms'];

  before(async () => {
    const coordinator = await cluster.startCoordinator('coord', 'eu');
    const { token } = await coordinator.api.request<{ token: string }>(
      'POST',
      '/api/v1/cluster/join-tokens',
      { role: 'viewer' },
    );
    agentDir = cluster.dir();
    await joinCluster({ dataDir: agentDir, token, name: 'edge', region: 'us', labels: {} });
  });

  after(() => cluster.cleanup());

  it('refuses a flag with exit 2 and one line naming it, and starts nothing', async () => {
    const run = await runCrosscheck([
      '--data-dir',
      agentDir,
      'agent',
      ...agentFlags,
      '--storage-budget',
      '20GB',
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(run.stderr.trim().split('\n'), [
      'error: --storage-budget applies to the coordinator only (`crosscheck start` there); this node is an agent, so nothing was started',
    ]);
    assert.equal(fs.existsSync(path.join(agentDir, 'daemon.json')), false);
  });

  it('names every coordinator-only flag given, on `start` too (--config included)', async () => {
    const agent = await runCrosscheck([
      '--data-dir',
      agentDir,
      'agent',
      ...agentFlags,
      '--public-url',
      'https://status.example.com',
      '--retain-results',
      '30d',
    ]);
    assert.equal(agent.code, 2, agent.stderr);
    assert.match(
      agent.stderr,
      /^error: --retain-results, --public-url apply to the coordinator only/,
    );
    const start = await runCrosscheck([
      '--data-dir',
      agentDir,
      'start',
      ...agentFlags,
      '--config',
      path.join(agentDir, 'crosscheck.yaml'),
    ]);
    assert.equal(start.code, 2, start.stderr);
    assert.match(start.stderr, /^error: --config applies to the coordinator only/);
  });

  it('runs with the environment variables set, warning once per variable, and listens on nothing public', async () => {
    const port = await closedPort();
    const child = spawn(process.execPath, [BIN, '--data-dir', agentDir, 'agent', ...agentFlags], {
      env: {
        ...process.env,
        NO_COLOR: '1',
        CROSSCHECK_LOG_FORMAT: 'json',
        CROSSCHECK_PUBLIC_LISTEN: `127.0.0.1:${port}`,
        CROSSCHECK_STORAGE_BUDGET: '20GB',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Two buffers: chunks of the two pipes interleaved could split a line.
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      await waitFor(
        () => (stderr.includes('crosscheck agent running') ? true : undefined),
        60_000,
        () => `the agent to start: ${stderr}`,
      );
      const lines = [...stderr.split('\n'), ...stdout.split('\n')];
      for (const name of ['CROSSCHECK_PUBLIC_LISTEN', 'CROSSCHECK_STORAGE_BUDGET']) {
        const message = `${name} is ignored on an agent: it applies to the coordinator only`;
        assert.equal(lines.filter((line) => line === `warning: ${message}`).length, 1, stderr);
        const logged = lines
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { level: number; msg: string; env?: string })
          .filter((entry) => entry.msg === message);
        assert.deepEqual(
          logged.map((entry) => [entry.level, entry.env]),
          [[40, name]],
        );
      }
      assert.equal(await refused(port), true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
  });

  it('lists every run flag in `agent --help`, coordinator-only ones marked', async () => {
    const help = await runCrosscheck(['agent', '--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const flag of RUN_FLAGS) {
      const long = flag.flags.split(' ')[0] ?? flag.flags;
      const line = help.stdout.split('\n').find((l) => l.trimStart().startsWith(long));
      assert.ok(line, `${long} missing from:\n${help.stdout}`);
      assert.equal(line.includes('coordinator only:'), flag.coordinatorOnly === true, line);
    }
  });
});

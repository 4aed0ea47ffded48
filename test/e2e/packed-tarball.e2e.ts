/**
 * What a user gets from npm: `npm pack` (which runs the build), the tarball installed into an
 * empty prefix, and the installed `crosscheck` run from a directory outside the checkout —
 * version and help, a one-shot check, a coordinator serving the dashboard and the OpenAPI
 * document, and an agent that joins it and comes online. One pack per run: it is the slow part.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localAuthHeaders } from '../helpers/local-api.ts';
import { daemonApiUrl, runProcess, waitFor } from '../helpers/cli.ts';
import type { CliRun } from '../helpers/cli.ts';
import { closedPort } from '../helpers/tcp-server.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * The environment for npm and the installed CLI: this Node first on PATH (the bin's
 * `#!/usr/bin/env node` picks it), and none of the `npm_*` variables an outer `npm test` sets
 * (its prefix and package would leak into the nested npm), except where native builds look.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('npm_') && key !== 'npm_config_nodedir' && key !== 'npm_config_cache')
      continue;
    env[key] = value;
  }
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  env.NO_COLOR = '1';
  return env;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<CliRun> {
  return runProcess(command, args, { cwd, env: cleanEnv(), timeoutMs });
}

/**
 * The checkout's files as a commit would hold them (tracked and not ignored: no dist/, no
 * data), with its node_modules linked in. Packing there builds into the copy's own dist/, so
 * tests running meanwhile keep the checkout's dist/web, and the build proves it needs nothing
 * a clean clone lacks.
 */
function cleanClone(dir: string): string {
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  assert.equal(listed.status, 0, listed.stderr);
  for (const file of listed.stdout.split('\0')) {
    const from = path.join(REPO, file);
    if (file === '' || !fs.existsSync(from)) continue; // deleted but not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function assertOk(result: CliRun, what: string): void {
  assert.equal(result.code, 0, `${what} exited ${String(result.code)}: ${result.stderr}`);
}

/** A daemon of the installed CLI, stopped by PID in `after`. */
interface Daemon {
  child: ChildProcess;
  apiUrl: string;
  logs(): string;
}

describe('the packed tarball, installed outside the checkout', { timeout: 900_000 }, () => {
  let work: string;
  let crosscheck: string;
  let installed: string;
  let target: http.Server;
  let targetUrl: string;
  const daemons: Daemon[] = [];

  const cli = (args: string[], timeoutMs = 60_000) => run(crosscheck, args, work, timeoutMs);

  async function startDaemon(args: string[], dataDir: string): Promise<Daemon> {
    const child = spawn(
      crosscheck,
      ['--data-dir', dataDir, ...args, '--api-listen', '127.0.0.1:0'],
      {
        cwd: work,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let logs = '';
    child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const daemon: Daemon = { child, apiUrl: '', logs: () => logs };
    daemons.push(daemon);
    daemon.apiUrl = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`daemon exited ${child.exitCode}: ${logs}`);
        return daemonApiUrl(dataDir, child);
      },
      60_000,
      () => `the daemon to start: ${logs}`,
    );
    return daemon;
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-packed-'));
    const clone = cleanClone(path.join(work, 'clone'));
    // `npm pack` runs `prepare`, i.e. the whole build, exactly as `npm publish` would.
    assertOk(
      await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], clone, 600_000),
      'npm pack',
    );
    const tarball = fs.readdirSync(work).find((name) => /^crosscheck-.*\.tgz$/.test(name));
    assert.ok(tarball, 'npm pack wrote no tarball');
    const prefix = path.join(work, 'prefix');
    fs.mkdirSync(prefix);
    const install = await run(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        path.join(work, tarball),
      ],
      work,
      600_000,
    );
    assertOk(install, 'npm install of the tarball');
    installed = path.join(prefix, 'node_modules', 'crosscheck');
    crosscheck = path.join(prefix, 'node_modules', '.bin', 'crosscheck');
    target = http.createServer((_req, res) => res.end('hello from the target'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  });

  after(async () => {
    for (const daemon of daemons.reverse()) {
      const { child } = daemon;
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
    }
    target?.closeAllConnections();
    await new Promise((resolve) => target?.close(resolve));
    if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
  });

  it('ships built JavaScript and what it reads at run time, not the sources or tests', () => {
    const files = fs.readdirSync(installed, { recursive: true, encoding: 'utf8' });
    assert.ok(files.includes(path.join('dist', 'cli', 'main.js')));
    assert.ok(files.includes(path.join('dist', 'web', 'index.html')));
    assert.ok(files.includes(path.join('dist', 'status-pages', 'assets', 'status.css')));
    assert.deepEqual(
      files.filter(
        (file) =>
          file.endsWith('.ts') ||
          file.startsWith(`src${path.sep}`) ||
          file.startsWith(`test${path.sep}`),
      ),
      [],
    );
  });

  it('prints its version and help', async () => {
    const version = await cli(['--version']);
    assertOk(version, '--version');
    assert.equal(version.stdout.trim(), VERSION);
    const help = await cli(['--help']);
    assertOk(help, '--help');
    for (const command of ['start', 'check', 'join', 'agent'])
      assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
  });

  it('runs a one-shot check against a loopback server', async () => {
    const checked = await cli(['check', 'http', targetUrl, '--json']);
    assertOk(checked, 'check');
    const result = JSON.parse(checked.stdout) as { status: string };
    assert.equal(result.status, 'up', checked.stdout);
  });

  it('starts a coordinator that serves the dashboard and the OpenAPI document; an agent joins it', async () => {
    const coordinatorDir = path.join(work, 'coordinator');
    const peerPort = await closedPort();
    const coordinator = await startDaemon(
      ['start', '--listen', `127.0.0.1:${peerPort}`],
      coordinatorDir,
    );
    const health = await cli(['--data-dir', coordinatorDir, 'health', '--json']);
    assertOk(health, 'health');

    const dashboard = await fetch(`${coordinator.apiUrl}/`);
    assert.equal(dashboard.status, 200);
    const page = await dashboard.text();
    assert.match(page, /<div id="app">/);
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(page)?.[1];
    assert.ok(script, page);
    assert.equal((await fetch(`${coordinator.apiUrl}${script}`)).status, 200, script);
    const reference = await fetch(`${coordinator.apiUrl}/api/v1/docs/`, {
      headers: localAuthHeaders(coordinatorDir),
    });
    assert.equal(reference.status, 200, 'the API reference page (swagger-ui-dist)');
    const openapi = await fetch(`${coordinator.apiUrl}/api/v1/openapi.json`, {
      headers: localAuthHeaders(coordinatorDir),
    });
    assert.equal(openapi.status, 200);
    assert.equal(((await openapi.json()) as { openapi: string }).openapi.slice(0, 3), '3.1');

    const token = await cli(['--data-dir', coordinatorDir, 'join-token']);
    assertOk(token, 'join-token');
    const agentDir = path.join(work, 'agent');
    const joined = await cli([
      '--data-dir',
      agentDir,
      'join',
      token.stdout.trim(),
      '--name',
      'packed-agent',
    ]);
    assertOk(joined, 'join');
    await startDaemon(['agent'], agentDir);
    await waitFor(
      async () => {
        const listed = await cli(['--data-dir', coordinatorDir, 'node', 'list', '--json']);
        if (listed.code !== 0) return undefined;
        const nodes = JSON.parse(listed.stdout) as { name: string; state: string }[];
        return nodes.some((node) => node.name === 'packed-agent' && node.state === 'online')
          ? true
          : undefined;
      },
      60_000,
      () => `the agent to come online: ${daemons.map((daemon) => daemon.logs()).join('\n')}`,
      500,
    );
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

// The service and container files (docs/install.md): the systemd unit as install.sh renders it
// passes `systemd-analyze verify`; install.sh parses and plans the right steps; every path the
// Dockerfile copies exists in the build context or in the packed package's layout. No Docker
// engine runs here, so the image itself is not built.

const ROOT = path.resolve(import.meta.dirname, '../..');
const INSTALL_SH = path.join(ROOT, 'packaging/install.sh');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-packaging-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

function hasCommand(name: string): boolean {
  return run('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** The installed-looking prefix install.sh points the unit at, with an executable `crosscheck`. */
function fakePrefix(): string {
  const prefix = fs.mkdtempSync(path.join(temp, 'prefix-'));
  fs.mkdirSync(path.join(prefix, 'bin'));
  fs.writeFileSync(path.join(prefix, 'bin/crosscheck'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return prefix;
}

function renderedUnit(prefix: string): string {
  const printed = run('sh', [INSTALL_SH, '--print-unit', '--prefix', prefix]);
  assert.equal(printed.status, 0, printed.stderr);
  return printed.stdout;
}

describe('packaging/systemd/crosscheck.service', () => {
  const skip = hasCommand('systemd-analyze') ? false : 'systemd-analyze is not installed';

  it('passes systemd-analyze verify as install.sh renders it', { skip }, () => {
    const prefix = fakePrefix();
    const unit = renderedUnit(prefix);
    assert.match(unit, new RegExp(`^ExecStart=${prefix}/bin/crosscheck start `, 'm'));
    const dir = fs.mkdtempSync(path.join(temp, 'unit-'));
    fs.writeFileSync(path.join(dir, 'crosscheck.service'), unit);
    const verified = run('systemd-analyze', ['verify', path.join(dir, 'crosscheck.service')]);
    assert.equal(verified.status, 0, verified.stderr);
    // Unknown or misspelt settings are only warnings ("Unknown key name …, ignoring").
    assert.equal(verified.stderr, '');
  });

  it('fails verify when its command is missing (the check above is real)', { skip }, () => {
    const dir = fs.mkdtempSync(path.join(temp, 'unit-'));
    const unit = renderedUnit(path.join(temp, 'no-such-prefix'));
    fs.writeFileSync(path.join(dir, 'crosscheck.service'), unit);
    const verified = run('systemd-analyze', ['verify', path.join(dir, 'crosscheck.service')]);
    assert.notEqual(verified.status, 0);
    assert.match(verified.stderr, /not executable/);
  });

  it('runs as a dedicated user with state in /var/lib/crosscheck and only CAP_NET_RAW', () => {
    const unit = fs.readFileSync(path.join(ROOT, 'packaging/systemd/crosscheck.service'), 'utf8');
    for (const line of [
      'User=crosscheck',
      'StateDirectory=crosscheck',
      'Environment=CROSSCHECK_DATA_DIR=/var/lib/crosscheck',
      'ProtectSystem=strict',
      'AmbientCapabilities=CAP_NET_RAW',
      'CapabilityBoundingSet=CAP_NET_RAW',
      'NoNewPrivileges=yes',
    ])
      assert.match(unit, new RegExp(`^${line}$`, 'm'), line);
  });
});

describe('packaging/install.sh', () => {
  it('is valid POSIX sh', () => {
    const parsed = run('sh', ['-n', INSTALL_SH]);
    assert.equal(parsed.status, 0, parsed.stderr);
  });

  it('--dry-run plans user, package, unit and service, and changes nothing', () => {
    const prefix = path.join(temp, 'dry-prefix');
    const unitDir = path.join(temp, 'dry-units');
    const tarball = path.join(temp, 'crosscheck-0.0.0.tgz');
    const planned = run('sh', [
      INSTALL_SH,
      '--dry-run',
      '--tarball',
      tarball,
      '--prefix',
      prefix,
      '--unit-dir',
      unitDir,
    ]);
    assert.equal(planned.status, 0, planned.stderr);
    const steps = planned.stdout.split('\n').filter((line) => line.startsWith('+ '));
    const user =
      run('id', ['crosscheck']).status === 0 ? [] : [/^\+ useradd --system .* crosscheck$/];
    const expected = [
      ...user,
      new RegExp(`^\\+ npm install --global --prefix ${prefix} .*${tarball}$`),
      new RegExp(`^\\+ mkdir -p ${unitDir}$`),
      new RegExp(`^\\+ render crosscheck.service > ${unitDir}/crosscheck.service$`),
      /^\+ systemctl daemon-reload$/,
      /^\+ systemctl enable --now crosscheck.service$/,
    ];
    assert.equal(steps.length, expected.length, planned.stdout);
    expected.forEach((pattern, index) => assert.match(steps[index] ?? '', pattern));
    assert.equal(fs.existsSync(prefix), false);
    assert.equal(fs.existsSync(unitDir), false);
  });

  it('rejects an unknown option with exit 2', () => {
    const rejected = run('sh', [INSTALL_SH, '--frobnicate']);
    assert.equal(rejected.status, 2);
    assert.match(rejected.stderr, /unknown option: --frobnicate/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const copies = [...dockerfile.matchAll(/^COPY (--from=\S+ )?(.+)$/gm)].map((match) => ({
    fromStage: match[1] !== undefined,
    sources: (match[2] ?? '').trim().split(/\s+/).slice(0, -1),
  }));

  it('copies into the build stage only files of the repository that .dockerignore keeps', () => {
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const sources = copies.filter((copy) => !copy.fromStage).flatMap((copy) => copy.sources);
    assert.ok(sources.length > 0);
    for (const source of sources) {
      assert.ok(fs.existsSync(path.join(ROOT, source)), `${source} is not in the repository`);
      const top = source.split('/')[0];
      assert.ok(!ignored.includes(top ?? ''), `${source} is excluded by .dockerignore`);
    }
    // The build reads these (scripts/build.ts, tsconfig.build.json, web/vite.config.ts).
    for (const needed of [
      'package-lock.json',
      'tsconfig.build.json',
      'scripts/build.ts',
      'src',
      'web',
    ])
      assert.ok(sources.includes(needed) || sources.includes(`./${needed}`), needed);
  });

  it("copies into the runtime stage what the packed package holds, plus the build's node_modules", () => {
    // The same file list `npm pack` uses (scripts are skipped: dist/ exists after `npm ci`).
    const packed = run('npm', [
      'pack',
      '--dry-run',
      '--json',
      '--ignore-scripts',
      '--loglevel=error',
    ]);
    assert.equal(packed.status, 0, packed.stderr);
    const [manifest] = JSON.parse(packed.stdout) as { files: { path: string }[] }[];
    const files = (manifest?.files ?? []).map((file) => file.path);
    assert.ok(files.includes('dist/cli/main.js'), 'dist/ is not built: run `npm run build`');
    const sources = copies.filter((copy) => copy.fromStage).flatMap((copy) => copy.sources);
    assert.ok(sources.length > 0);
    for (const source of sources) {
      const relative = source.replace(/^\/build\//, '');
      if (relative === 'node_modules') continue; // made in the build stage by npm ci + prune
      assert.ok(
        files.some((file) => file === relative || file.startsWith(`${relative}/`)),
        `${source} is not in the packed package`,
      );
    }
  });
});

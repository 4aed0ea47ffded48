import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// On a Node older than the minimum the CLI says so in one line instead of dying with a stack
// trace from the TypeScript sources (or from dist/, which needs newer APIs). The system Node of
// these machines is Debian's Node 20.

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');
const SYSTEM_NODE = '/usr/bin/node';

function systemNodeVersion(): string | undefined {
  if (!fs.existsSync(SYSTEM_NODE)) return undefined;
  return spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

const version = systemNodeVersion();
const [major = 0, minor = 0] = (version ?? 'v0.0').slice(1).split('.').map(Number);
const tooOld = major < 24 || (major === 24 && minor < 7);
const skip =
  version === undefined
    ? `${SYSTEM_NODE} is missing`
    : tooOld
      ? false
      : `${SYSTEM_NODE} is ${version}, not older than the minimum`;

describe('an unsupported Node', () => {
  for (const args of [['--version'], ['start', '--data-dir', '/nonexistent']]) {
    it(`prints one line and exits 3 (crosscheck ${args.join(' ')})`, { skip }, () => {
      const run = spawnSync(SYSTEM_NODE, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 3, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(
        run.stderr,
        `crosscheck needs Node.js 24.7 or newer; this is ${version ?? ''}\n`,
        'exactly one line, no stack trace',
      );
    });
  }
});

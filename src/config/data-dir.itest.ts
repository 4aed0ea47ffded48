import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureDataDir, writePrivateFile } from './data-dir.ts';

describe('data dir', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-dd-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('makes the data dir private (0700) without tightening its parents', () => {
    const dir = path.join(root, 'home', '.local', 'share', 'crosscheck');
    ensureDataDir(dir);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.notEqual(fs.statSync(path.dirname(dir)).mode & 0o777, 0o700);
    fs.chmodSync(dir, 0o755);
    ensureDataDir(dir);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700, 'an existing dir is tightened');
  });

  it('writes private files (0600) atomically', () => {
    const file = path.join(root, 'secret');
    writePrivateFile(file, 'one');
    writePrivateFile(file, 'two');
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(
      fs.readdirSync(root).filter((f) => f.includes('.tmp')),
      [],
    );
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCanaryFlags } from '../checks/canary-spec.ts';
import { AppError } from '../lib/errors.ts';
import type { NodeIdentity } from './node-identity.ts';
import { readNodeIdentity, replaceCanaries, writeNodeIdentity } from './node-identity.ts';

const IDENTITY: NodeIdentity = {
  version: 1,
  nodeId: 'node_a',
  name: 'a',
  role: 'agent',
  region: 'eu',
  labels: {},
  createdAt: 1,
  coordinator: { address: '127.0.0.1:7433', name: 'coord' },
};

describe('node identity: canaries', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-id-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const file = path.join(root, 'node.json');

  it('has none by default; given flags replace the stored list', () => {
    writeNodeIdentity(file, IDENTITY);
    assert.equal(readNodeIdentity(file)?.canaries, undefined);
    replaceCanaries(file, parseCanaryFlags(['tcp:127.0.0.1:53', 'icmp:127.0.0.1']));
    replaceCanaries(file, parseCanaryFlags(['tcp:127.0.0.1:9']));
    const stored = readNodeIdentity(file);
    assert.deepEqual(stored?.canaries, [{ type: 'tcp', target: '127.0.0.1:9', options: {} }]);
    assert.equal(stored?.name, 'a', 'the rest of the identity is kept');
  });

  it('re-validates stored canaries, naming the field', () => {
    const json = { ...IDENTITY, canaries: [{ type: 'tcp', target: 'no-port', options: {} }] };
    fs.writeFileSync(file, JSON.stringify(json));
    assert.throws(
      () => readNodeIdentity(file),
      (error: unknown) =>
        error instanceof AppError && /canaries\.0\.target: must be host:port/.test(error.message),
    );
  });

  it('does nothing to a data dir that was never initialised', () => {
    assert.equal(replaceCanaries(path.join(root, 'none.json'), []), undefined);
  });
});

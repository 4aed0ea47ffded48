import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataDirPaths } from '../config/data-dir.ts';
import type { IncidentDetail } from '../services/consensus-views.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { seedConsensusFixture } from '../../test/helpers/consensus-fixture.ts';
import type { ConsensusFixture } from '../../test/helpers/consensus-fixture.ts';
import { runCliInProcess } from '../../test/helpers/in-process-cli.ts';

const cli = runCliInProcess;

describe('CLI views of consensus data (offline: the store read directly)', () => {
  let dir: string;
  let fixture: ConsensusFixture;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-cli-'));
    const store = await openSqliteStore({ file: dataDirPaths(dir).database });
    fixture = await seedConsensusFixture(store, Date.now());
    await store.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists incidents with their verdict', async () => {
    const run = await cli(dir, ['incidents']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /VERDICT/);
    assert.match(run.stdout, /inc_eu\s+Shop\s+resolved\s+regional: eu-west/);
  });

  it('prints an incident with a header and a votes table per round', async () => {
    const run = await cli(dir, ['incidents', 'show', fixture.incident.id]);
    assert.equal(run.code, 0, run.stderr);
    const text = run.stdout;
    assert.match(text, /verdict:\s+regional: eu-west/);
    assert.match(
      text,
      /confirm round rnd_confirm · regional: eu-west · \S+Z → \S+Z \(2s\) · triggered by fra-1/,
    );
    assert.match(text, /recover round rnd_recover · up ·/);
    assert.match(text, /NODE\s+REGION\s+VOTE\s+STATUS\s+LATENCY\s+MESSAGE\s+ANSWERED/);
    assert.match(text, /bos-1\s+us-east\s+ok\s+up\s+40 ms\s+HTTP 200 in 40 ms\s+\+\d+s late/);
    assert.match(text, /solo-1\s+-\s+fail \(set aside: canaries\)\s+down/);
    assert.match(text, /bos-1\s+us-east\s+no-answer\s+-\s+-\s+-/);
    assert.ok(text.indexOf('rnd_confirm') < text.indexOf('rnd_recover'), 'oldest round first');

    const json = await cli(dir, ['incidents', 'show', fixture.incident.id, '--json']);
    const detail = JSON.parse(json.stdout) as IncidentDetail;
    assert.equal(detail.id, fixture.incident.id);
    assert.equal(detail.verdict, 'regional');
    assert.deepEqual(
      detail.evidence.map((r) => r.votes.length),
      [5, 4],
    );
  });

  it('shows sub-quorum trouble in status, naming the node of a failed last result', async () => {
    const run = await cli(dir, ['status']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /note: Shop failing from fra-1 \(1 of 5 nodes\)/);
    // Never a bare "up" beside an error: the message names the node and says it is local.
    assert.match(run.stdout, /up\s.*fra-1: timed out after 5000 ms \(local\)/);
    assert.match(run.stdout, /note: Shop uptime in eu-west: 24h 96\.667%, 30d 96\.667%/);
    assert.match(
      run.stdout,
      /note: Shop on fra-1: 50% of its own checks passed in 24h, 2 failed, 0 node errors, 1 local rounds/,
    );
  });

  it('prints uptime per region and per node and the sub-quorum rounds in a monitor history', async () => {
    const run = await cli(dir, ['history', fixture.monitor.id]);
    assert.equal(run.code, 0, run.stderr);
    const text = run.stdout;
    assert.match(text, /uptime, last 24h: 100% \(confirmed downtime 0ms\)/);
    assert.match(text, /uptime by region, last 24h:/);
    assert.match(text, /eu-west\s+2\s+2m\s+96\.667%/);
    assert.match(text, /us-east\s+2\s+0ms\s+100%/);
    assert.match(text, /\(none\)\s+1\s+0ms\s+100%/);
    assert.match(text, /each node's own results, last 24h/);
    assert.match(text, /fra-1\s+eu-west\s+4\s+2\s+50%\s+0\s+1/);
    assert.match(text, /nyc-1\s+us-east\s+4\s+0\s+100%\s+0\s+0/);
    assert.match(text, /recent sub-quorum rounds/);
    assert.match(text, /confirm\s+local\s+fra-1 \(eu-west\)\s+4/);
    assert.match(text, /confirm\s+regional: eu-west\s+ams-1 \(eu-west\), fra-1 \(eu-west\)\s+3/);
    assert.match(text, /TIME\s+MONITOR\s+STATUS/);

    const json = await cli(dir, ['history', fixture.monitor.id, '--json']);
    assert.ok(Array.isArray(JSON.parse(json.stdout)), '--json stays the list of results');
  });

  it('says that a probe needs the running daemon (exit 3)', async () => {
    const run = await cli(dir, ['probe', 'tcp', '127.0.0.1:9']);
    assert.equal(run.code, 3);
    assert.match(
      run.stderr,
      /crosscheck probe needs the running daemon: .*start it with: crosscheck start/,
    );
  });
});

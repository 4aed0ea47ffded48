import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsensusEffect } from './monitor-consensus.ts';
import { Harness } from './testing/consensus-harness.ts';

type AlertEffect = Extract<ConsensusEffect, { type: 'alert' }>;

const openings = (h: Harness): AlertEffect[] => h.of('alert').filter((a) => a.routes !== 'paged');
const summary = (alerts: AlertEffect[]): string[] =>
  alerts.map((a) => `${a.kind}:${a.routes}:${a.suppressed ? `suppressed(${a.reason})` : a.reason}`);

/** One confirmed outage and its recovery, reported by `a`, confirmed by `coord`. */
function outage(h: Harness, length = 10_000): void {
  h.suspect('a');
  h.vote('coord', 'fail');
  h.now += length;
  h.recovered('a');
  h.vote('coord', 'ok');
}

describe('alert policy in the consensus core (incident, route, kind)', () => {
  it('a second outage inside the cooldown pages again: the cooldown is per incident', () => {
    const h = new Harness({ coord: 'us', a: 'us' });
    h.cooldownMs = 300_000;
    outage(h);
    h.now += 30_000;
    outage(h);
    assert.deepEqual(summary(openings(h)), ['down:main:new-incident', 'down:main:new-incident']);
    assert.deepEqual(
      h
        .of('alert')
        .filter((a) => a.routes === 'paged')
        .map((a) => a.kind),
      ['recovered', 'recovered'],
    );
    assert.equal(h.of('incident-opened').length, 2);
  });

  it('regional pages the regional routes; escalation pages the main routes; closings follow both', () => {
    const h = new Harness({ coord: 'us', u2: 'us', e1: 'eu', e2: 'eu' });
    h.cooldownMs = 300_000;
    h.suspect('e1');
    h.vote('e2', 'fail');
    h.vote('coord', 'ok');
    h.vote('u2', 'ok');
    h.now += 60_000;
    h.send({ type: 'tick' });
    for (const node of ['coord', 'u2', 'e1', 'e2']) h.vote(node, 'fail');
    assert.deepEqual(summary(openings(h)), [
      'regional:regional:new-incident',
      'down:main:escalation',
    ]);
    h.now += 10_000;
    h.recovered('e1');
    for (const node of ['coord', 'u2', 'e2']) h.vote(node, 'ok');
    const closing = h.of('alert').filter((a) => a.routes === 'paged');
    assert.deepEqual(
      closing.map((a) => a.kind),
      ['recovered'],
      'one closing; the store sends it to every route an opening reached',
    );
  });

  it('a regional incident spreading to another region pages its routes again, once per cooldown', () => {
    const spread = (cooldownMs: number): string[] => {
      const h = new Harness({ coord: 'us', e1: 'eu', e2: 'eu', a1: 'ap', a2: 'ap' });
      h.cooldownMs = cooldownMs;
      h.suspect('e1');
      for (const [node, outcome] of [
        ['e2', 'fail'],
        ['a1', 'ok'],
        ['a2', 'ok'],
        ['coord', 'ok'],
      ] as const)
        h.vote(node, outcome);
      h.now += 60_000;
      h.send({ type: 'tick' });
      for (const [node, outcome] of [
        ['e1', 'fail'],
        ['e2', 'fail'],
        ['a1', 'fail'],
        ['a2', 'fail'],
        ['coord', 'ok'],
      ] as const)
        h.vote(node, outcome);
      const alerts = openings(h);
      assert.notEqual(alerts[0]?.idempotencyKey, alerts[1]?.idempotencyKey);
      return summary(alerts);
    };
    assert.deepEqual(spread(30_000), [
      'regional:regional:new-incident',
      'regional:regional:cooldown-elapsed',
    ]);
    assert.deepEqual(spread(300_000), [
      'regional:regional:new-incident',
      'regional:regional:suppressed(within-cooldown)',
    ]);
  });

  it('a round in flight when the monitor is paused still decides: no stuck round, no page', () => {
    const h = new Harness({ coord: 'us', a: 'us' });
    h.suspect('a');
    h.paused = true;
    h.now += 1_000;
    h.vote('coord', 'fail');
    assert.equal(h.state.round, null, 'the round is decided, not left open');
    assert.deepEqual(summary(openings(h)), ['down:main:suppressed(paused)']);
  });

  it('flapping that ends with the incident still open pages it then', () => {
    const h = new Harness({ coord: 'us', a: 'eu' }, { flapChanges: 2, flapWindowMs: 600_000 });
    outage(h);
    h.now += 10_000;
    outage(h);
    h.now += 10_000;
    h.suspect('a');
    h.vote('coord', 'fail');
    assert.equal(h.state.fields.flappingSince !== null, true);
    assert.equal(openings(h).at(-2)?.reason, 'flapping', 'opened while flapping: suppressed');
    h.now += 600_000;
    h.state = { ...h.state, lastRoundAt: h.now };
    h.send({ type: 'tick' });
    assert.deepEqual(summary(openings(h)).slice(-2), [
      'flapping-ended:main:flapping-ended',
      'down:main:still-down-after-flapping',
    ]);
    assert.equal(h.state.fields.status, 'down');
  });
});

describe('retraction: evidence that does not hold', () => {
  /** coord, a, b, c; a, b and c report and fail, coord sees it up: down by 3 of 4. */
  function falseIncident(): Harness {
    const h = new Harness({ coord: 'us', a: 'us', b: 'us', c: 'us' });
    h.suspect('a');
    h.vote('b', 'fail');
    h.vote('c', 'fail');
    h.vote('coord', 'ok');
    assert.equal(h.of('incident-opened').length, 1);
    return h;
  }

  it('a deciding node found abstaining re-runs the round; not confirmed → retracted, routes told', () => {
    const h = falseIncident();
    const incident = h.of('incident-opened')[0]?.incident.id;
    h.now += 5_000;
    h.voters = h.voters.map((v) => (v.nodeId === 'coord' ? v : { ...v, vantageFailing: true }));
    const [request] = h.send({ type: 'voter-unhealthy', nodeId: 'b' });
    assert.equal(request?.type, 'request-votes');
    assert.deepEqual(
      request?.type === 'request-votes' ? request.nodeIds : [],
      ['coord', 'a', 'b', 'c'],
      'everyone answers afresh; no report is reused',
    );
    h.vote('coord', 'ok');
    for (const node of ['a', 'b', 'c']) h.vote(node, 'fail');
    const [retracted] = h.of('incident-retracted');
    assert.equal(retracted?.incidentId, incident);
    assert.match(retracted?.reason ?? '', /not confirmed: a set aside \(vantage\)/);
    const closing = h.of('alert').filter((a) => a.routes === 'paged');
    assert.deepEqual(
      closing.map((a) => `${a.kind}:${a.incident?.id}`),
      [`retracted:${incident}`],
    );
    assert.equal(h.state.fields.openIncident, null);
    assert.equal(h.state.fields.status, 'unknown');
    assert.deepEqual(
      h.state.fields.flapChanges,
      [],
      'a retracted incident was no confirmed change',
    );
    assert.equal(h.of('incident-resolved').length, 0);
  });

  it('a reconfirm that confirms again keeps the incident', () => {
    const h = falseIncident();
    h.now += 5_000;
    h.send({ type: 'voter-unhealthy', nodeId: 'a' });
    for (const node of ['coord', 'a', 'b', 'c']) h.vote(node, 'fail');
    assert.equal(h.of('incident-retracted').length, 0);
    assert.notEqual(h.state.fields.openIncident, null);
  });

  it('only nodes that confirmed it, and only within the recheck period', () => {
    const h = falseIncident();
    h.now += 5_000;
    assert.deepEqual(h.send({ type: 'voter-unhealthy', nodeId: 'coord' }), []);
    h.now += 60_000;
    assert.deepEqual(h.send({ type: 'voter-unhealthy', nodeId: 'a' }), []);
  });

  it('a node failing most of its monitors (vantage) votes abstain and cannot start a round', () => {
    const h = new Harness({ coord: 'us', a: 'us', b: 'us' });
    h.voters = h.voters.map((v) => (v.nodeId === 'a' ? { ...v, vantageFailing: true } : v));
    assert.deepEqual(h.suspect('a'), []);
    h.suspect('b');
    h.vote('a', 'fail');
    h.vote('coord', 'ok');
    const votes = h.of('round-decided')[0]?.round.votes ?? [];
    assert.deepEqual(
      votes.map((v) => `${v.nodeId}:${v.outcome}:${v.setAside ?? '-'}`),
      ['a:abstain:vantage', 'b:fail:-', 'coord:ok:-'],
    );
    assert.equal(h.of('incident-opened').length, 0);
  });
});

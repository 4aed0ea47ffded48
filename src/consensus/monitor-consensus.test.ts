import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialConsensusState } from './monitor-consensus.ts';
import { FAIL, Harness } from './testing/consensus-harness.ts';

describe('monitor consensus (confirmation rounds)', () => {
  it('a suspect report asks every other online node to check now, then decides down with evidence', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu', c: 'us' });
    h.voters = h.voters.map((v) => (v.nodeId === 'c' ? { ...v, online: false } : v));
    const [request] = h.suspect('a');
    assert.deepEqual(request, {
      type: 'request-votes',
      roundId: 'rnd1',
      nodeIds: ['coord', 'b'],
      deadlineAt: h.now + 3_000,
    });
    h.vote('coord', 'fail');
    assert.equal(h.of('round-decided').length, 0, 'waits for every asked node');
    h.vote('b', 'fail');
    const [decided] = h.of('round-decided');
    assert.equal(decided?.round.verdict, 'down');
    assert.deepEqual(
      decided?.round.votes.map((v) => `${v.nodeId}:${v.outcome}`),
      ['a:fail', 'b:fail', 'coord:fail'],
    );
    const [opened] = h.of('incident-opened');
    assert.equal(opened?.incident.startedAt, h.now - 1_000, "the reporter's streak start");
    assert.equal(decided?.round.incidentId, opened?.incident.id);
    const [alert] = h.of('alert');
    assert.equal(alert?.kind, 'down');
    assert.equal(alert?.idempotencyKey, `mon:${opened?.incident.id}:down`);
    assert.equal(h.state.fields.status, 'down');
  });

  it('at the deadline missing answers are no-answers; a late answer is recorded, never reopens the round', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu' });
    h.suspect('a');
    h.vote('coord', 'ok');
    const roundId = h.state.round?.id ?? '';
    h.now += 3_000;
    h.send({ type: 'deadline', roundId });
    const [decided] = h.of('round-decided');
    assert.equal(decided?.round.verdict, 'local');
    assert.equal(decided?.round.votes.find((v) => v.nodeId === 'b')?.outcome, 'no-answer');
    h.now += 500;
    const late = h.send({
      type: 'vote',
      roundId,
      nodeId: 'b',
      reply: { outcome: 'fail', evidence: FAIL, canariesFailing: false },
    });
    assert.equal(late.length, 1);
    assert.equal(late[0]?.type, 'late-vote');
    assert.equal(late[0]?.type === 'late-vote' && late[0].vote.late, true);
    assert.equal(h.of('incident-opened').length, 0);
  });

  it('too few answers: unknown, no incident; a recovery report rechecks', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu' });
    h.voters = h.voters.map((v) => (v.nodeId === 'a' ? v : { ...v, online: false }));
    h.suspect('a');
    assert.equal(h.of('round-decided')[0]?.round.verdict, 'unknown');
    assert.equal(h.state.fields.status, 'unknown');
    assert.equal(h.of('incident-opened').length, 0);
    h.voters = h.voters.map((v) => ({ ...v, online: true }));
    h.recovered('a');
    const recheck = h.of('round-decided').length === 1 ? h.state.round : null;
    assert.equal(recheck?.purpose, 'recheck');
    h.vote('coord', 'ok');
    h.vote('b', 'ok');
    assert.equal(h.state.fields.status, 'up');
  });

  it('impaired nodes and nodes with failing canaries cannot start rounds, and their votes are set aside', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu' });
    h.voters = h.voters.map((v) => (v.nodeId === 'b' ? { ...v, impaired: true } : v));
    assert.deepEqual(h.suspect('b'), []);
    assert.deepEqual(h.suspect('coord', true), []);
    h.suspect('a');
    h.vote('coord', 'fail', true);
    h.vote('b', 'fail');
    const round = h.of('round-decided')[0]?.round;
    assert.equal(round?.votes.find((v) => v.nodeId === 'coord')?.setAside, 'canaries');
    assert.equal(round?.votes.find((v) => v.nodeId === 'coord')?.outcome, 'abstain');
    assert.equal(round?.votes.find((v) => v.nodeId === 'b')?.setAside, 'impaired');
    // Only "a" counts: below the two-responder minimum.
    assert.equal(round?.verdict, 'unknown');
  });

  it('recovery runs through a round; the incident resolves with its duration and one recovery alert', () => {
    const h = new Harness({ coord: 'us', a: 'eu' });
    h.suspect('a');
    h.vote('coord', 'fail');
    const incident = h.of('incident-opened')[0]?.incident;
    h.now += 60_000;
    h.recovered('a');
    h.vote('coord', 'ok');
    const [resolved] = h.of('incident-resolved');
    assert.equal(resolved?.incidentId, incident?.id);
    assert.equal(resolved?.endedAt, h.now - 1_000);
    assert.equal(resolved?.durationMs, (resolved?.endedAt ?? 0) - (incident?.startedAt ?? 0));
    assert.deepEqual(
      h.of('alert').map((a) => a.kind),
      ['down', 'recovered'],
    );
    assert.equal(h.state.fields.status, 'up');
  });

  it('a node still failing since before the last incident ended dates the next one from that end', () => {
    const h = new Harness({ coord: 'us', a: 'eu' });
    // "a" fails from time 0 and its own view never recovers.
    h.send({
      type: 'view',
      nodeId: 'a',
      view: { suspect: true, since: 0, evidence: h.at(FAIL), canariesFailing: false },
    });
    h.vote('coord', 'fail');
    assert.equal(h.of('incident-opened')[0]?.incident.startedAt, 0);
    h.now += 30_000;
    h.recovered('coord');
    h.vote('a', 'ok');
    const ended = h.of('incident-resolved')[0]?.endedAt ?? 0;
    assert.equal(h.state.fields.lastEndedAt, ended);
    h.now += 30_000;
    h.suspect('coord');
    h.vote('a', 'fail');
    const second = h.of('incident-opened')[1]?.incident;
    assert.equal(second?.startedAt, ended + 1, 'not dated into the first incident');
  });

  it('a regional incident goes to the regional routes and escalates to down once everyone fails', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu', c: 'us' });
    h.suspect('a');
    h.vote('coord', 'ok');
    h.vote('b', 'fail');
    h.vote('c', 'ok');
    const opened = h.of('incident-opened')[0]?.incident;
    assert.equal(opened?.verdict, 'regional');
    assert.deepEqual(opened?.regions, ['eu']);
    assert.equal(h.of('alert')[0]?.routes, 'regional');
    assert.equal(h.state.fields.status, 'regional');
    h.now += 5_000;
    h.suspect('c');
    h.vote('coord', 'fail');
    h.vote('a', 'fail');
    h.vote('b', 'fail');
    assert.deepEqual(h.of('incident-updated')[0], {
      type: 'incident-updated',
      incidentId: opened?.id,
      verdict: 'down',
      regions: [],
    });
    assert.deepEqual(
      h.of('alert').map((a) => `${a.kind}:${a.routes}`),
      ['regional:regional', 'down:main'],
    );
    assert.equal(h.of('incident-opened').length, 1);
  });

  it('triggers during an open round wait for it, then run only if still relevant', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu' });
    h.suspect('a');
    h.suspect('b');
    assert.deepEqual(h.state.pending, [{ purpose: 'confirm', triggeredBy: 'b' }]);
    h.vote('coord', 'fail');
    h.vote('b', 'fail');
    // Confirmed down: b's pending confirm is moot.
    assert.equal(h.state.round, null);
    assert.equal(h.of('request-votes').length, 1);
  });

  it('a recovery reported during an undecided recovery round runs next and resolves', () => {
    const h = new Harness({ coord: 'us', a: 'eu', b: 'eu' });
    h.suspect('a');
    h.vote('coord', 'fail');
    h.vote('b', 'fail');
    h.now += 20_000;
    h.recovered('a');
    h.recovered('b');
    assert.deepEqual(h.state.pending, [{ purpose: 'recover', triggeredBy: 'b' }]);
    // b's vote in the first round was checked just before it recovered.
    h.vote('coord', 'fail');
    h.vote('b', 'fail');
    assert.equal(h.of('incident-resolved').length, 0);
    assert.equal(h.state.round?.triggeredBy, 'b', 'the waiting recovery runs next');
    h.vote('coord', 'ok');
    h.vote('a', 'ok');
    assert.equal(h.of('incident-resolved').length, 1);
    assert.deepEqual(h.state.pending, []);
  });

  it('more than flapChanges confirmed changes in the window: one flapping alert, the rest suppressed, one when it settles', () => {
    const h = new Harness({ coord: 'us', a: 'eu' }, { flapChanges: 2, flapWindowMs: 600_000 });
    for (let cycle = 0; cycle < 3; cycle++) {
      h.now += 10_000;
      h.suspect('a');
      h.vote('coord', 'fail');
      h.now += 10_000;
      h.recovered('a');
      h.vote('coord', 'ok');
    }
    const alerts = h.of('alert');
    const openings = alerts.filter((a) => a.routes !== 'paged');
    assert.deepEqual(
      openings.filter((a) => !a.suppressed).map((a) => a.kind),
      ['down', 'flapping'],
    );
    assert.ok(openings.filter((a) => a.suppressed).every((a) => a.reason === 'flapping'));
    // Each recovery follows whatever its own incident's opening did (the store decides per route).
    assert.deepEqual(
      alerts.filter((a) => a.routes === 'paged').map((a) => a.kind),
      ['recovered', 'recovered', 'recovered'],
    );
    assert.equal(h.state.fields.status, 'flapping');
    assert.equal(h.of('incident-opened').length, 3, 'incidents are still recorded');
    h.now += 600_000;
    h.state = { ...h.state, lastRoundAt: h.now };
    h.send({ type: 'tick' });
    assert.equal(h.of('alert').at(-1)?.kind, 'flapping-ended');
    assert.equal(h.state.fields.status, 'up');
  });

  it('a periodic recheck resolves an incident nobody reports on any more (after a coordinator restart)', () => {
    const h = new Harness({ coord: 'us', a: 'eu' });
    h.state = initialConsensusState({
      ...h.state.fields,
      status: 'down',
      openIncident: {
        id: 'inc_old',
        startedAt: 1_000,
        verdict: 'down',
        regions: [],
        openedAt: 1_000,
        confirmedBy: [],
        pages: {},
      },
      verdictAt: 1_000,
    });
    h.now += 60_000;
    h.send({ type: 'tick' });
    assert.deepEqual(
      h.of('request-votes')[0]?.nodeIds,
      ['coord', 'a'],
      'a recheck asks every online node',
    );
    h.vote('coord', 'ok');
    h.vote('a', 'ok');
    assert.equal(h.of('incident-resolved')[0]?.incidentId, 'inc_old');
    assert.equal(h.of('alert')[0]?.idempotencyKey, 'mon:inc_old:recovered');
  });
});

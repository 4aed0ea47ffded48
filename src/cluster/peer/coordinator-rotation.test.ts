import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Rotation, RotationEvent } from './coordinator-rotation.ts';
import {
  advance,
  dialAddress,
  MAX_REDIRECTS,
  startRotation,
  withAddresses,
} from './coordinator-rotation.ts';

const address = fc.integer({ min: 1, max: 40 }).map((n) => `10.0.0.${n}:7433`);
const list = fc.uniqueArray(address, { minLength: 1, maxLength: 6 });
const event: fc.Arbitrary<RotationEvent> = fc.oneof(
  fc.constant({ kind: 'welcomed' as const }),
  fc.constant({ kind: 'failed' as const }),
  fc.constant({ kind: 'not-leader' as const, leader: null }),
  address.map((leader) => ({ kind: 'not-leader' as const, leader })),
);

describe('coordinator rotation', () => {
  it('never dials an address outside the list except the leader a redirect named', () => {
    fc.assert(
      fc.property(list, fc.array(event, { maxLength: 60 }), (addresses, events) => {
        let rotation = startRotation(addresses);
        const named = new Set<string>();
        for (const e of events) {
          if (e.kind === 'not-leader' && e.leader !== null) named.add(e.leader);
          rotation = advance(rotation, e).rotation;
          const dialed = dialAddress(rotation);
          assert.ok(addresses.includes(dialed) || named.has(dialed), `dialed ${dialed}`);
        }
      }),
    );
  });

  it('dials every listed address within (list length + 1) failures from any state', () => {
    fc.assert(
      fc.property(list, fc.array(event, { maxLength: 30 }), (addresses, prefix) => {
        let rotation = startRotation(addresses);
        for (const e of prefix) rotation = advance(rotation, e).rotation;
        const dialed = new Set([dialAddress(rotation)]);
        for (let i = 0; i < addresses.length + 1; i++) {
          rotation = advance(rotation, { kind: 'failed' }).rotation;
          dialed.add(dialAddress(rotation));
        }
        for (const a of addresses) assert.ok(dialed.has(a), `never dialed ${a}`);
      }),
    );
  });

  it('follows a redirect at once, but backs off after MAX_REDIRECTS in a row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), (hops) => {
        let rotation: Rotation = startRotation(['a:1', 'b:1']);
        let immediateInARow = 0;
        let longest = 0;
        for (let i = 0; i < hops; i++) {
          // Two coordinators naming each other: the ping-pong the bound is for.
          const leader = dialAddress(rotation) === 'a:1' ? 'b:1' : 'a:1';
          const step = advance(rotation, { kind: 'not-leader', leader });
          immediateInARow = step.immediate ? immediateInARow + 1 : 0;
          longest = Math.max(longest, immediateInARow);
          rotation = step.rotation;
        }
        assert.ok(longest <= MAX_REDIRECTS);
      }),
    );
  });

  it('redirects to the named leader, then returns to the list past the redirecting one', () => {
    let rotation = startRotation(['a:1', 'b:1', 'c:1']);
    const step = advance(rotation, { kind: 'not-leader', leader: 'z:9' });
    assert.equal(step.immediate, true);
    rotation = step.rotation;
    assert.equal(dialAddress(rotation), 'z:9');
    rotation = advance(rotation, { kind: 'failed' }).rotation;
    assert.equal(dialAddress(rotation), 'b:1');
  });

  it('treats a not-leader without a leader like a failure (backoff, next address)', () => {
    const step = advance(startRotation(['a:1', 'b:1']), { kind: 'not-leader', leader: null });
    assert.equal(step.immediate, false);
    assert.equal(dialAddress(step.rotation), 'b:1');
  });

  it('takes a welcome’s list, positioned on the coordinator it is connected to', () => {
    let rotation = advance(startRotation(['a:1']), { kind: 'not-leader', leader: 'b:1' }).rotation;
    rotation = withAddresses(rotation, ['a:1', 'b:1', 'c:1'], 'b:1');
    assert.equal(dialAddress(rotation), 'b:1');
    rotation = advance(rotation, { kind: 'failed' }).rotation;
    assert.equal(dialAddress(rotation), 'c:1');
    assert.deepEqual(withAddresses(rotation, [], 'c:1'), rotation);
  });

  it('refuses an empty list', () => {
    assert.throws(() => startRotation([]), { code: 'VALIDATION' });
  });
});

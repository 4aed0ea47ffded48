import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createEventHub } from './event-hub.ts';
import type { StreamItem, Subscription } from './event-hub.ts';
import type { CrosscheckEvent } from './event-types.ts';

/** A clock that only moves when told. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function result(monitorId: string, group: string | null = null, at = 0): CrosscheckEvent {
  return {
    type: 'result',
    monitorId,
    group,
    resultId: `r-${monitorId}-${at}`,
    nodeId: 'n1',
    status: 'up',
    latencyMs: 5,
    at,
  };
}

function nodeState(nodeId: string): CrosscheckEvent {
  return { type: 'node.state', nodeId, from: 'online', to: 'missing', at: 0 };
}

function ids(items: readonly StreamItem[]): string[] {
  return items.map((i) => (i.kind === 'event' ? i.event.id : i.kind));
}

function drain(sub: Subscription): StreamItem[] {
  return sub.take(Number.MAX_SAFE_INTEGER);
}

describe('event hub', () => {
  it('stamps increasing ids with the boot epoch', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1' });
    assert.equal(hub.headId(), 'e1-0');
    hub.publish([result('a'), result('b')]);
    hub.publish([result('c')]);
    assert.equal(hub.headId(), 'e1-3');
    const answer = hub.since('e1-0');
    assert.equal(answer.kind, 'events');
    assert.deepEqual(
      answer.kind === 'events'
        ? answer.events.map((e) => [e.id, 'monitorId' in e.data && e.data.monitorId])
        : [],
      [
        ['e1-1', 'a'],
        ['e1-2', 'b'],
        ['e1-3', 'c'],
      ],
    );
  });

  it('answers events after an id, and reset for ids of another run or never issued', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1' });
    hub.publish([result('a'), result('b'), result('c')]);
    const after = hub.since('e1-1');
    assert.deepEqual(after.kind === 'events' ? after.events.map((e) => e.id) : after, [
      'e1-2',
      'e1-3',
    ]);
    assert.deepEqual(hub.since('e1-3'), { kind: 'events', events: [] });
    assert.deepEqual(hub.since('e0-2'), { kind: 'reset', reason: 'unknown-id' });
    assert.deepEqual(hub.since('e1-4'), { kind: 'reset', reason: 'unknown-id' });
    assert.deepEqual(hub.since('garbage'), { kind: 'reset', reason: 'unknown-id' });
    assert.deepEqual(hub.since('e1-x'), { kind: 'reset', reason: 'unknown-id' });
  });

  it('forgets events older than the history age, and says expired for ids before them', () => {
    const clock = manualClock();
    const hub = createEventHub({ clock, epoch: 'e1', historyMs: 10 * 60_000 });
    hub.publish([result('a'), result('b')]);
    clock.advance(5 * 60_000);
    hub.publish([result('c')]);
    clock.advance(5 * 60_000);
    // Exactly 10 minutes old is still kept: the promise is "at least".
    assert.equal(hub.since('e1-0').kind, 'events');
    clock.advance(1);
    assert.deepEqual(hub.since('e1-0'), { kind: 'reset', reason: 'expired' });
    assert.deepEqual(hub.since('e1-1'), { kind: 'reset', reason: 'expired' });
    const fromB = hub.since('e1-2');
    assert.deepEqual(fromB.kind === 'events' ? fromB.events.map((e) => e.id) : fromB, ['e1-3']);
    assert.equal(hub.stats().buffered, 1);
  });

  it('caps the history by count as well', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1', historyEvents: 3 });
    hub.publish([result('a'), result('b'), result('c'), result('d'), result('e')]);
    assert.equal(hub.stats().buffered, 3);
    assert.deepEqual(hub.since('e1-1'), { kind: 'reset', reason: 'expired' });
    const fromB = hub.since('e1-2');
    assert.deepEqual(fromB.kind === 'events' ? fromB.events.map((e) => e.id) : fromB, [
      'e1-3',
      'e1-4',
      'e1-5',
    ]);
  });

  it('filters by monitor, group and type; monitor filters leave node events out', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1' });
    const byMonitor = hub.subscribe({ filter: { monitorIds: ['a'] }, onReady: () => {} });
    const byGroup = hub.subscribe({ filter: { groups: ['web'] }, onReady: () => {} });
    const byType = hub.subscribe({ filter: { types: ['node.state'] }, onReady: () => {} });
    const all = hub.subscribe({ filter: {}, onReady: () => {} });
    hub.publish([result('a'), result('b', 'web'), nodeState('n1'), result('c', 'db')]);
    assert.deepEqual(ids(drain(byMonitor)), ['e1-1']);
    assert.deepEqual(ids(drain(byGroup)), ['e1-2']);
    assert.deepEqual(ids(drain(byType)), ['e1-3']);
    assert.deepEqual(ids(drain(all)), ['e1-1', 'e1-2', 'e1-3', 'e1-4']);
  });

  it('replays missed events on subscribe with a last id, then continues live', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1' });
    hub.publish([result('a'), result('b'), result('a')]);
    let ready = 0;
    const sub = hub.subscribe({
      filter: { monitorIds: ['a'] },
      lastEventId: 'e1-1',
      onReady: () => ready++,
    });
    hub.publish([result('a'), result('b')]);
    assert.equal(ready, 1);
    assert.deepEqual(ids(sub.take(1)), ['e1-3']);
    assert.deepEqual(ids(drain(sub)), ['e1-4']);
  });

  it('starts with a reset pointing at the head when the last id is unknown', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e2' });
    hub.publish([result('a')]);
    const sub = hub.subscribe({ filter: {}, lastEventId: 'e1-9', onReady: () => {} });
    hub.publish([result('b')]);
    assert.deepEqual(drain(sub)[0], { kind: 'reset', reason: 'unknown-id', id: 'e2-1' });
  });

  it('closes a subscriber that falls behind with one overflow, without holding the publisher', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1', subscriberQueue: 2 });
    const slow = hub.subscribe({ filter: {}, onReady: () => {} });
    const fast = hub.subscribe({ filter: {}, onReady: () => {} });
    hub.publish([result('a'), result('b')]);
    assert.deepEqual(ids(drain(fast)), ['e1-1', 'e1-2']);
    hub.publish([result('c')]);
    assert.equal(slow.ended, true);
    assert.deepEqual(drain(slow), [{ kind: 'overflow' }]);
    hub.publish([result('d')]);
    assert.deepEqual(drain(slow), []);
    assert.deepEqual(ids(drain(fast)), ['e1-3', 'e1-4']);
    assert.deepEqual(hub.stats(), { buffered: 4, subscribers: 1, published: 4, overflows: 1 });
  });

  it('forgets a closed subscriber', () => {
    const hub = createEventHub({ clock: manualClock(), epoch: 'e1' });
    const sub = hub.subscribe({ filter: {}, onReady: () => assert.fail('closed') });
    sub.close();
    hub.publish([result('a')]);
    assert.equal(hub.stats().subscribers, 0);
  });

  it('property: dropping and resuming with the last id received loses and repeats nothing', () => {
    // Steps: publish a batch for some monitors, a client reads some items, or the client drops
    // and reconnects with the last id it saw. The client must see exactly the matching events.
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('publish' as const),
        monitors: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 6 }),
      }),
      fc.record({ kind: fc.constant('read' as const), max: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('reconnect' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.subarray(['a', 'b', 'c']),
        (steps, queue, wanted) => {
          const hub = createEventHub({ clock: manualClock(), epoch: 'p', subscriberQueue: queue });
          const filter = wanted.length === 0 ? {} : { monitorIds: wanted };
          const expected: string[] = [];
          const seen: string[] = [];
          // The client starts from the head, as if a reset had told it where the stream stood.
          let lastId = hub.headId();
          const connect = () => hub.subscribe({ filter, onReady: () => {}, lastEventId: lastId });
          let sub = connect();
          const read = (max: number) => {
            for (const item of sub.take(max)) {
              assert.equal(item.kind === 'reset', false, 'history is large enough: no reset');
              if (item.kind === 'event') {
                seen.push(item.event.id);
                lastId = item.event.id;
              }
            }
          };
          for (const s of steps) {
            if (s.kind === 'publish') {
              const before = hub.headId();
              hub.publish(s.monitors.map((m) => result(m)));
              const first = Number(before.split('-')[1]) + 1;
              s.monitors.forEach((m, i) => {
                if (wanted.length === 0 || wanted.includes(m)) expected.push(`p-${first + i}`);
              });
            } else if (s.kind === 'read') read(s.max);
            else {
              sub.close();
              sub = connect();
            }
            if (sub.ended) {
              read(Number.MAX_SAFE_INTEGER);
              sub = connect();
            }
          }
          read(Number.MAX_SAFE_INTEGER);
          assert.deepEqual(seen, expected.slice(0, seen.length));
          // Whatever was published after the client's first connection reached it.
          assert.deepEqual(seen, expected);
        },
      ),
    );
  });
});

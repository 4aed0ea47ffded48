import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyLocalResult,
  INITIAL_LOCAL_VIEW,
  isFailing,
  localOutcome,
} from './local-hysteresis.ts';
import type { LocalOutcome, LocalSignal, LocalThresholds, LocalView } from './local-hysteresis.ts';

const T2: LocalThresholds = { failureThreshold: 2, recoveryThreshold: 2 };

/** Feeds a run of results (true = failing) at 1000, 2000, …; returns each step's signal. */
function feed(failing: readonly boolean[], thresholds: LocalThresholds = T2) {
  return feedOutcomes(
    failing.map((f) => (f ? 'failing' : 'passing')),
    thresholds,
  );
}

/** Like `feed`, with node errors among the results. */
function feedOutcomes(outcomes: readonly LocalOutcome[], thresholds: LocalThresholds = T2) {
  let view: LocalView = INITIAL_LOCAL_VIEW;
  const signals: (LocalSignal | null)[] = [];
  const views: LocalView[] = [];
  outcomes.forEach((outcome, i) => {
    const step = applyLocalResult(view, { outcome, checkedAt: (i + 1) * 1000 }, thresholds);
    view = step.view;
    views.push(view);
    signals.push(step.signal);
  });
  return { view, signals, views };
}

/** Length of the run of equal values ending at index i. */
function streakEndingAt(values: readonly boolean[], i: number): number {
  let n = 0;
  for (let j = i; j >= 0 && values[j] === values[i]; j--) n++;
  return n;
}

describe('local hysteresis', () => {
  it('classifies down as failing, and degraded only when the monitor says so', () => {
    assert.equal(isFailing('down', false), true);
    assert.equal(isFailing('degraded', false), false);
    assert.equal(isFailing('degraded', true), true);
    assert.equal(isFailing('up', true), false);
    assert.equal(isFailing('error', true), false);
  });

  it('weighs a node error as neither a failure nor a success', () => {
    assert.equal(localOutcome('error', true), 'node-error');
    assert.equal(localOutcome('error', false), 'node-error');
    assert.equal(localOutcome('down', false), 'failing');
    assert.equal(localOutcome('degraded', true), 'failing');
    assert.equal(localOutcome('degraded', false), 'passing');
    assert.equal(localOutcome('up', false), 'passing');
  });

  it('node errors alone never make a view suspect', () => {
    const { signals, view } = feedOutcomes(Array<LocalOutcome>(20).fill('node-error'));
    assert.deepEqual(
      signals.filter((s) => s !== null),
      [],
    );
    assert.deepEqual(view, INITIAL_LOCAL_VIEW);
  });

  it('a node error inside a failing streak neither breaks it nor counts toward it', () => {
    const { signals } = feedOutcomes(['failing', 'node-error', 'node-error', 'failing']);
    assert.deepEqual(signals, [null, null, null, { kind: 'suspect', since: 1000 }]);
  });

  it('node errors while suspect do not count toward recovery', () => {
    const { signals, view } = feedOutcomes([
      'failing',
      'failing',
      'passing',
      'node-error',
      'node-error',
      'node-error',
    ]);
    assert.deepEqual(signals.slice(2), [null, null, null, null]);
    assert.equal(view.suspect, true);
    assert.equal(view.successes, 1);
  });

  it('becomes suspect on the second consecutive failure, since the first', () => {
    const { signals, view } = feed([false, true, true, true]);
    assert.deepEqual(signals, [null, null, { kind: 'suspect', since: 2000 }, null]);
    assert.equal(view.suspect, true);
    assert.equal(view.failures, 3);
    assert.equal(view.failureSince, 2000);
  });

  it('a success in between restarts the failing streak', () => {
    const { signals } = feed([true, false, true, true]);
    assert.deepEqual(signals, [null, null, null, { kind: 'suspect', since: 3000 }]);
  });

  it('recovers after recoveryThreshold consecutive successes, since the first of them', () => {
    const { signals, view } = feed([true, true, false, true, false, false, false]);
    assert.deepEqual(signals, [
      null,
      { kind: 'suspect', since: 1000 },
      null,
      null,
      null,
      { kind: 'recovered', since: 5000 },
      null,
    ]);
    assert.equal(view.suspect, false);
    assert.equal(view.successSince, 5000);
  });

  it('with a threshold of 1, every change of state signals at once', () => {
    const { signals } = feed([true, false, true], { failureThreshold: 1, recoveryThreshold: 1 });
    assert.deepEqual(signals, [
      { kind: 'suspect', since: 1000 },
      { kind: 'recovered', since: 2000 },
      { kind: 'suspect', since: 3000 },
    ]);
  });

  it('successes without a suspect never signal', () => {
    const { signals, view } = feed([false, false, false, false]);
    assert.deepEqual(signals, [null, null, null, null]);
    assert.equal(view.successes, 4);
    assert.equal(view.successSince, 1000);
  });

  it('a threshold lowered below the current streak crosses on the next failure', () => {
    let view = feed([true, true, true], { failureThreshold: 5, recoveryThreshold: 2 }).view;
    const step = applyLocalResult(view, { outcome: 'failing', checkedAt: 4000 }, T2);
    view = step.view;
    assert.deepEqual(step.signal, { kind: 'suspect', since: 1000 });
    assert.equal(view.suspect, true);
  });

  const runs = fc.record({
    failing: fc.array(fc.boolean(), { maxLength: 200 }),
    failureThreshold: fc.integer({ min: 1, max: 6 }),
    recoveryThreshold: fc.integer({ min: 1, max: 6 }),
  });

  it('property: signals alternate, starting with suspect', () => {
    fc.assert(
      fc.property(runs, ({ failing, ...t }) => {
        const kinds = feed(failing, t)
          .signals.filter((s) => s !== null)
          .map((s) => s.kind);
        kinds.forEach((kind, i) => assert.equal(kind, i % 2 === 0 ? 'suspect' : 'recovered'));
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: a suspect needs exactly failureThreshold consecutive failures, a recovery exactly recoveryThreshold successes', () => {
    fc.assert(
      fc.property(runs, ({ failing, ...t }) => {
        const { signals, views } = feed(failing, t);
        signals.forEach((signal, i) => {
          const wasSuspect = i > 0 && (views[i - 1]?.suspect ?? false);
          const streak = streakEndingAt(failing, i);
          const expectSuspect = failing[i] === true && !wasSuspect && streak === t.failureThreshold;
          const expectRecovered =
            failing[i] === false && wasSuspect && streak === t.recoveryThreshold;
          assert.equal(signal?.kind === 'suspect', expectSuspect, `step ${i}`);
          assert.equal(signal?.kind === 'recovered', expectRecovered, `step ${i}`);
          // `since` is the first result of the streak that crossed the threshold.
          if (signal !== null) assert.equal(signal.since, (i - streak + 2) * 1000);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: the view is suspect exactly when the last signal was a suspect, and its streaks match the input', () => {
    fc.assert(
      fc.property(runs, ({ failing, ...t }) => {
        const { signals, view } = feed(failing, t);
        const last = signals.filter((s) => s !== null).at(-1);
        assert.equal(view.suspect, last?.kind === 'suspect');
        const n = failing.length;
        if (n === 0) return assert.deepEqual(view, INITIAL_LOCAL_VIEW);
        const streak = streakEndingAt(failing, n - 1);
        const lastFailing = failing[n - 1] === true;
        assert.equal(view.failures, lastFailing ? streak : 0);
        assert.equal(view.successes, lastFailing ? 0 : streak);
        const since = (n - streak + 1) * 1000;
        assert.equal(view.failureSince, lastFailing ? since : null);
        assert.equal(view.successSince, lastFailing ? null : since);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: node errors anywhere change nothing — same signals and view as without them', () => {
    const outcomes = fc.array(fc.constantFrom<LocalOutcome>('failing', 'passing', 'node-error'), {
      maxLength: 200,
    });
    fc.assert(
      fc.property(
        outcomes,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (all, failureThreshold, recoveryThreshold) => {
          const t = { failureThreshold, recoveryThreshold };
          const withErrors = feedOutcomes(all, t);
          const kept = all
            .map((outcome, i) => ({ outcome, i }))
            .filter(({ outcome }) => outcome !== 'node-error');
          // Replays the same results without the errors, at their original times.
          let view: LocalView = INITIAL_LOCAL_VIEW;
          const signals: LocalSignal[] = [];
          for (const { outcome, i } of kept) {
            const step = applyLocalResult(view, { outcome, checkedAt: (i + 1) * 1000 }, t);
            view = step.view;
            if (step.signal !== null) signals.push(step.signal);
          }
          assert.deepEqual(withErrors.view, view);
          assert.deepEqual(
            withErrors.signals.filter((s) => s !== null),
            signals,
          );
          all.forEach((outcome, i) => {
            if (outcome === 'node-error') assert.equal(withErrors.signals[i], null, `step ${i}`);
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('property: a node that keeps failing signals exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 50 }), (ft, more) => {
        const { signals } = feed(Array<boolean>(ft + more).fill(true), {
          failureThreshold: ft,
          recoveryThreshold: 1,
        });
        assert.equal(signals.filter((s) => s !== null).length, 1);
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PatternEvaluator, PatternTask } from '../pattern-evaluator.ts';
import { findInBody, keywordFailure } from './match.ts';

const base = { caseInsensitive: false, invert: false };

/** Answers regex tasks inline and records them, so a test sees what went to the pool. */
function recordingEvaluator(): PatternEvaluator & { tasks: string[] } {
  const tasks: string[] = [];
  return {
    tasks,
    evaluate(given) {
      const task = given as PatternTask;
      tasks.push(task.kind === 'regex' ? task.source : 'json');
      const value = task.kind === 'regex' && new RegExp(task.source, task.flags).test(task.text);
      // Only regex tasks are sent by findInBody; the cast states that for the test double.
      return Promise.resolve({ status: 'done', value } as never);
    },
  };
}

async function found(body: string, rule: Parameters<typeof findInBody>[1]) {
  const patterns = recordingEvaluator();
  const outcome = await findInBody(body, rule, patterns, new AbortController().signal);
  assert.equal(outcome.status, 'done');
  return { value: outcome.status === 'done' && outcome.value, pooled: patterns.tasks };
}

test('a present keyword passes; a missing one is quoted in the failure', () => {
  assert.equal(keywordFailure(true, { ...base, keyword: 'healthy' }, false), undefined);
  assert.equal(
    keywordFailure(false, { ...base, keyword: 'healthy' }, false),
    'keyword "healthy" not found in the body',
  );
});

test('keywords and plain-text regexes are searched inline; other regexes go to the pool', async () => {
  assert.deepEqual(await found('status: healthy', { ...base, keyword: 'healthy' }), {
    value: true,
    pooled: [],
  });
  assert.deepEqual(await found('build 2041', { ...base, regex: 'build' }), {
    value: true,
    pooled: [],
  });
  assert.deepEqual(await found('build 2041', { ...base, regex: 'build \\d{4}' }), {
    value: true,
    pooled: ['build \\d{4}'],
  });
});

test('case-insensitive matching applies to keywords and regexes', async () => {
  assert.equal((await found('All OK', { ...base, keyword: 'ok' })).value, false);
  assert.equal(
    (await found('All OK', { ...base, keyword: 'ok', caseInsensitive: true })).value,
    true,
  );
  const regex = await found('All OK', { ...base, regex: 'all\\s+ok', caseInsensitive: true });
  assert.equal(regex.value, true);
  // `i` is left to the regex engine even for plain text: its case folding is not toLowerCase's.
  assert.deepEqual(
    (await found('All OK', { ...base, regex: 'ok', caseInsensitive: true })).pooled,
    ['ok'],
  );
});

test('inverted: present fails, absent passes', () => {
  const rule = { ...base, keyword: 'error', invert: true };
  assert.equal(keywordFailure(false, rule, false), undefined);
  assert.equal(
    keywordFailure(true, rule, false),
    'keyword "error" found in the body (must be absent)',
  );
});

test('regex failures quote the pattern', () => {
  assert.equal(
    keywordFailure(false, { ...base, regex: 'version \\d{2}' }, false),
    'pattern "/version \\\\d{2}/" not found in the body',
  );
});

test('a truncated body says only part was searched; long keywords are shortened', () => {
  const message = keywordFailure(false, { ...base, keyword: 'x'.repeat(200) }, true) ?? '';
  assert.match(message, /first part of the body/);
  assert.ok(message.length < 200);
});

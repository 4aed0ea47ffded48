import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { browserOptionsSchema, redactBrowserOptions, secretValues } from './options.ts';
import { expandStepTexts } from './step-text.ts';

function issues(input: unknown): string[] {
  const result = browserOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('no steps: the check only opens the target', () => {
  assert.deepEqual(browserOptionsSchema.parse({}), { steps: [] });
});

test('the CLI shapes: one-argument text, JSON objects and a JSON array', () => {
  const parsed = browserOptionsSchema.parse({
    steps: [
      'goto /login',
      '{"action":"fill","selector":"#user","value":"alice"}',
      '[{"action":"click","selector":"#go"},{"action":"waitFor","selector":"#done"}]',
      'expectStatus 200',
      'expectText /Welcome \\w+/',
    ],
    degradedThresholdMs: '2s',
  });
  assert.deepEqual(parsed, {
    steps: [
      { action: 'goto', url: '/login' },
      { action: 'fill', selector: '#user', value: 'alice' },
      { action: 'click', selector: '#go' },
      { action: 'waitFor', selector: '#done', state: 'visible' },
      { action: 'expectStatus', status: 200 },
      { action: 'expectText', text: '/Welcome \\w+/' },
    ],
    degradedThresholdMs: 2000,
  });
});

test('each problem names the step and field', () => {
  assert.match(issues({ steps: [{ action: 'click' }] })[0] ?? '', /^steps\.0\.selector: /);
  assert.match(issues({ steps: ['dance #floor'] })[0] ?? '', /^steps\.0: /);
  assert.match(
    issues({ steps: [{ action: 'expectStatus', status: 700 }] })[0] ?? '',
    /^steps\.0\.status: /,
  );
  assert.match(
    issues({ steps: [{ action: 'expectText', text: '/(/' }] })[0] ?? '',
    /^steps\.0\.text: invalid regex/,
  );
  assert.match(
    issues({ steps: [{ action: 'click', selector: '#a', script: 'x()' }] })[0] ?? '',
    /^steps\.0: Unrecognized key/,
  );
});

test('goto only goes to http(s) URLs or paths: no file:, chrome:, javascript: or data:', () => {
  for (const url of ['file:///etc/passwd', 'chrome://settings', 'javascript:alert(1)', 'data:,x'])
    assert.match(issues({ steps: [`goto ${url}`] })[0] ?? '', /^steps\.0\.url: must be a path/);
  for (const url of ['/login', 'https://example.test/a', 'next?x=1'])
    assert.equal(browserOptionsSchema.parse({ steps: [`goto ${url}`] }).steps.length, 1);
});

test('secret fill values are masked for display and listed for scrubbing', () => {
  const options = browserOptionsSchema.parse({
    steps: [
      { action: 'fill', selector: '#user', value: 'alice' },
      { action: 'fill', selector: '#password', value: 'hunter2', secret: true },
    ],
  });
  const shown = redactBrowserOptions(options);
  assert.ok(!JSON.stringify(shown).includes('hunter2'));
  assert.ok(JSON.stringify(shown).includes('alice'));
  assert.deepEqual(secretValues(options), ['hunter2']);
  // Redaction never changes the stored options.
  assert.ok(JSON.stringify(options).includes('hunter2'));
});

test('at most 50 steps', () => {
  const steps = Array.from({ length: 51 }, () => 'click #a');
  assert.match(issues({ steps })[0] ?? '', /^steps: at most 50 steps/);
});

test('expanding step texts never throws and keeps stored objects as they are', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.object())), (items) => {
      const expanded = expandStepTexts(items) as unknown[];
      assert.ok(Array.isArray(expanded));
      const objects = items.filter((item) => typeof item !== 'string');
      for (const object of objects) assert.ok(expanded.includes(object));
    }),
  );
});

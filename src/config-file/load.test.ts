import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue, loadConfigText, locateFieldIssues } from './load.ts';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe('loadConfigText', () => {
  it('substitutes ${ENV} and ${ENV:-default} and keeps $${ literal', async () => {
    const text = [
      'version: 1',
      'monitors:',
      '  - name: API',
      '    type: http',
      '    target: ${API_URL}',
      '    group: ${GROUP:-core}',
      '    options: { headers: { Authorization: "Bearer ${TOKEN}" } }',
      '    tags: ["$${literal}"]',
      '',
    ].join('\n');
    const loaded = await loadConfigText(
      'c.yaml',
      text,
      env({ API_URL: 'http://127.0.0.1:8080/', TOKEN: 's3cr3t' }),
    );
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const [monitor] = loaded.config.monitors ?? [];
    assert.equal(monitor?.target, 'http://127.0.0.1:8080/');
    assert.equal(monitor?.group, 'core');
    assert.deepEqual(monitor?.options, { headers: { Authorization: 'Bearer s3cr3t' } });
    assert.deepEqual(monitor?.tags, ['${literal}']);
  });

  it('reports every problem at once, in text order, as file:line:col path message', async () => {
    const text = [
      'version: 1', // 1
      'monitors:', // 2
      '  - name: API', // 3
      '    type: http', // 4
      '    target: ${API_URL}', // 5
      '    intervalMs: 5s', // 6
      '    timeoutMs: 10s', // 7
      '  - name: DB', // 8
      '    type: tcp', // 9
      '    target: localhost', // 10
      '    bogus: 1', // 11
      '  - name: API', // 12
      '    type: tcp', // 13
      '    target: 127.0.0.1:1', // 14
      '',
    ].join('\n');
    const first = await loadConfigText('c.yaml', text, env({}));
    assert.ok(!first.ok);
    // A missing variable stops before validation: its value would make the rest meaningless.
    assert.deepEqual(first.issues.map(formatIssue), [
      'c.yaml:5:13 monitors.0.target environment variable API_URL is not set',
    ]);
    const second = await loadConfigText('c.yaml', text, env({ API_URL: 'https://127.0.0.1/' }));
    assert.ok(!second.ok);
    assert.deepEqual(second.issues.map(formatIssue), [
      'c.yaml:7:16 monitors.0.timeoutMs must not exceed the interval (5000 ms)',
      'c.yaml:8:5 monitors.1 Unrecognized key: "bogus"',
      'c.yaml:10:13 monitors.1.target must be host:port, e.g. db.internal:5432 or [::1]:5432',
      'c.yaml:12:11 monitors.2.name duplicate key "API" (also monitors.0)',
    ]);
  });

  it('never puts a variable value in an issue', async () => {
    const text = 'version: 1\nmonitors:\n  - name: x\n    type: tcp\n    target: ${HOSTPORT}\n';
    const loaded = await loadConfigText('c.yaml', text, env({ HOSTPORT: 'hunter2-secret' }));
    assert.ok(!loaded.ok);
    assert.doesNotMatch(JSON.stringify(loaded.issues), /hunter2/);
  });

  it('reports YAML syntax errors and a wrong version by position', async () => {
    const broken = await loadConfigText('c.yaml', 'version: 1\nmonitors: [\n', env({}));
    assert.ok(!broken.ok);
    assert.match(
      formatIssue(broken.issues[0] ?? { file: '', line: 0, col: 0, path: '', message: '' }),
      /^c\.yaml:\d+:\d+ /,
    );
    const wrong = await loadConfigText('c.yaml', 'version: 2\n', env({}));
    assert.ok(!wrong.ok);
    assert.match(
      formatIssue(wrong.issues[0] ?? { file: '', line: 0, col: 0, path: '', message: '' }),
      /^c\.yaml:1:10 version /,
    );
  });

  it('places issues an operation reports by field path', async () => {
    const text =
      'version: 1\nmonitors:\n  - name: x\n    type: tcp\n    target: 127.0.0.1:1\n    alerts: [{ target: nope }]\n';
    const loaded = await loadConfigText('c.yaml', text, env({}));
    assert.ok(loaded.ok);
    const issues = locateFieldIssues(
      loaded.parsed,
      [{ path: 'document.monitors.0.alerts.0.target', message: 'no alert target named nope' }],
      'document',
    );
    assert.deepEqual(issues.map(formatIssue), [
      'c.yaml:6:24 monitors.0.alerts.0.target no alert target named nope',
    ]);
  });
});

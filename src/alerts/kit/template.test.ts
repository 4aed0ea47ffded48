import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { SAMPLE_EVENTS, sampleOutgoing } from '../testing/sample-alerts.ts';
import {
  applyTemplate,
  messageTemplateSchema,
  templatedAlert,
  parseTemplate,
  renderTemplate,
  TEMPLATE_LIMITS,
  templateIssues,
  type MessageTemplate,
} from './template.ts';
import { TEMPLATE_VARIABLES, templateVariables } from './template-variables.ts';

const down = sampleOutgoing(SAMPLE_EVENTS.down);
const recovered = sampleOutgoing(SAMPLE_EVENTS.recovered);
const regional = sampleOutgoing(SAMPLE_EVENTS.regional);
const nodeMissing = sampleOutgoing(SAMPLE_EVENTS.nodeMissing);

async function render(source: string, alert = down): Promise<string> {
  const { body } = parseTemplate({ body: source });
  assert.ok(body !== null);
  const result = await renderTemplate(body, alert);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.text;
}

async function renderFailure(source: string): Promise<string> {
  const { body } = parseTemplate({ body: source });
  assert.ok(body !== null);
  const result = await renderTemplate(body, down);
  assert.equal(result.ok, false, 'expected the render to fail');
  return result.ok ? '' : result.reason;
}

describe('template variables', () => {
  it('documents exactly the variables templates receive', () => {
    const documented = TEMPLATE_VARIABLES.map((variable) => variable.name).sort();
    assert.deepEqual(documented, Object.keys(templateVariables(down)).sort());
    assert.deepEqual(documented, Object.keys(templateVariables(nodeMissing)).sort());
  });

  it('renders every variable of a monitor alert', async () => {
    const text = await render(
      [
        '{{ kind }}|{{ status }}|{{ severity }}|{{ title }}|{{ message }}',
        '{{ monitor.id }}|{{ monitor.name }}|{{ monitor.type }}|{{ monitor.target }}|{{ monitor.group }}|{{ monitor.tags | join: "," }}',
        '{{ verdict }}|{{ regions | size }}|{{ error }}|{{ started }}|{{ duration }}',
        '{{ incident.id }}|{{ incident.url }}|{{ url }}|{{ node.name }}',
        '{% for n in agreeing_nodes %}{{ n.node }}:{{ n.outcome }};{% endfor %}',
        '{% for n in evidence %}{{ n.node }}@{{ n.region }}={{ n.outcome }}/{{ n.latency_ms }}/{{ n.message }};{% endfor %}',
      ].join('\n'),
    );
    assert.deepEqual(text.split('\n'), [
      `down|firing|critical|DOWN: Checkout API|${SAMPLE_EVENTS.down.message}`,
      'mon-api|Checkout API|http|https://shop.test/health|prod|api,payments',
      'down|0|HTTP 503|2026-12-04T03:00:00.000Z|1m',
      'inc-0193a1|https://crosscheck.test/incidents/inc-0193a1|https://crosscheck.test/incidents/inc-0193a1|',
      'fra-1:fail;nyc-1:fail;',
      'fra-1@eu-west=fail/12/HTTP 503;nyc-1@us-east=fail/80/HTTP 503;sgp-1@ap-south=no-answer//;',
    ]);
  });

  it('agreeing nodes are the failing ones of an opening and the healthy ones of a recovery', async () => {
    assert.equal(
      await render('{{ agreeing_nodes | map: "node" | join: "," }}', recovered),
      'fra-1,nyc-1,sgp-1',
    );
    assert.equal(await render('{{ status }} {{ duration }}', recovered), 'resolved 10m');
    assert.equal(
      await render('{{ verdict }} {{ regions | join: "," }}', regional),
      'regional ap-south',
    );
  });

  it('renders node alerts with the node and empty monitor fields', async () => {
    assert.equal(
      await render(
        '{{ node.name }} {{ node.region }} {{ node.from }}->{{ node.to }} [{{ monitor.name }}] {{ started }}',
        nodeMissing,
      ),
      'fra-1 eu-west online->missing [] 2026-12-04T03:00:00.000Z',
    );
  });

  it('reaches no prototype properties and escapes safely with json', async () => {
    assert.equal(await render('[{{ monitor.constructor }}][{{ monitor.__proto__ }}]'), '[][]');
    assert.equal(await render('{{ monitor.name | json }}'), '"Checkout API"');
  });
});

describe('template validation', () => {
  it('names line and column of a syntax error, per part', () => {
    const issues = templateIssues({
      title: 'ok {{ kind }}',
      body: 'line one\n{% if status %}\nno end',
    });
    assert.deepEqual(issues, [
      { path: 'template.body', message: 'line 2, column 1: tag {% if status %} not closed' },
    ]);
    assert.deepEqual(templateIssues({ title: '{{ kind ' }, 'targets[0].template'), [
      {
        path: 'targets[0].template.title',
        message: 'line 1, column 1: output "{{ kind " not closed',
      },
    ]);
  });

  it('rejects unknown filters and tags at parse', () => {
    assert.deepEqual(templateIssues({ body: 'x\n  {{ kind | shout }}' }), [
      { path: 'template.body', message: 'line 2, column 3: undefined filter: shout' },
    ]);
    assert.equal(templateIssues({ body: '{% nosuch %}' }).length, 1);
  });

  it('refuses the tags that would read files', () => {
    for (const source of ['{% include "x" %}', '{% render "/etc/passwd" %}', '{% layout "x" %}']) {
      const [issue] = templateIssues({ body: source });
      assert.match(issue?.message ?? '', /not available in alert templates/, source);
    }
  });

  it('enforces the size caps of title and body (the parse limit)', () => {
    const template: MessageTemplate = {
      title: 'x'.repeat(TEMPLATE_LIMITS.titleChars + 1),
      body: 'y'.repeat(TEMPLATE_LIMITS.bodyChars + 1),
    };
    assert.deepEqual(templateIssues(template), [
      { path: 'template.title', message: 'must be at most 500 characters' },
      { path: 'template.body', message: 'must be at most 20000 characters' },
    ]);
    assert.deepEqual(templateIssues({ body: 'y'.repeat(TEMPLATE_LIMITS.bodyChars) }), []);
  });

  it('messageTemplateSchema reports problems at the part of the template', () => {
    const parsed = messageTemplateSchema.safeParse({ title: '{{ kind', body: '{{ kind }}' });
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message]),
      [['title', 'line 1, column 1: output "{{ kind" not closed']],
    );
    assert.deepEqual(messageTemplateSchema.parse({ body: 'x' }), { body: 'x' });
    assert.equal(messageTemplateSchema.safeParse({ footer: 'x' }).success, false);
  });

  it('parseTemplate throws one validation error with every issue', () => {
    try {
      parseTemplate({ title: '{{', body: '{{ kind | nope }}' });
      assert.fail('expected a validation error');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION');
      assert.deepEqual(
        error.issues.map((issue) => issue.path),
        ['template.title', 'template.body'],
      );
    }
    assert.deepEqual(parseTemplate({}), { title: null, body: null });
  });
});

describe('template limits', () => {
  it('stops a loop over a huge range', async () => {
    assert.match(
      await renderFailure('{% for i in (1..100000000) %}{{ i }}{% endfor %}'),
      /limit exceeded/,
    );
    assert.match(
      await renderFailure('{% for i in (1..100000000) %}{% endfor %}'),
      /limit exceeded/,
    );
  });

  it('stops a loop that runs past the render time limit', async () => {
    const reason = await renderFailure(
      '{% for i in (1..1000) %}{% for j in (1..900) %}{{ j }}{% endfor %}{% endfor %}',
    );
    assert.match(reason, /render limit exceeded/);
  });

  it('stops memory that doubles on every iteration', async () => {
    const reason = await renderFailure(
      '{% assign a = "1,2,3" | split: "," %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a.size }}',
    );
    assert.match(reason, /memory alloc limit exceeded/);
  });
});

describe('applyTemplate', () => {
  it('replaces title and text and leaves out facts and evidence', async () => {
    const compiled = parseTemplate({
      title: '{{ monitor.name }} is {{ kind | upcase }}',
      body: '{% for n in agreeing_nodes %}{{ n.node }} says {{ n.message }}\n{% endfor %}',
    });
    const { message, failure } = await applyTemplate(down.message, compiled, down);
    assert.equal(failure, null);
    assert.equal(message.title, 'Checkout API is DOWN');
    assert.equal(message.text, 'fra-1 says HTTP 503\nnyc-1 says HTTP 503');
    assert.equal(message.custom, true);
    assert.deepEqual(message.facts, []);
    assert.deepEqual(message.evidence, []);
    assert.equal(message.url, down.message.url);
  });

  it('keeps facts and text when only the title is templated, and folds it to one line', async () => {
    const compiled = parseTemplate({
      title: '{% if status == "firing" %}\n🔴{% else %}🟢{% endif %}\n{{ title }}',
    });
    const { message } = await applyTemplate(down.message, compiled, down);
    assert.equal(message.title, '🔴 DOWN: Checkout API');
    assert.equal(message.text, down.message.text);
    assert.deepEqual(message.facts, down.message.facts);
    assert.equal(message.custom, false);
  });

  it('sends the default message with a note when rendering fails', async () => {
    const compiled = parseTemplate({
      title: 'custom',
      body: '{% for i in (1..100000000) %}{{ i }}{% endfor %}',
    });
    const { message, failure } = await applyTemplate(down.message, compiled, down);
    assert.match(failure ?? '', /^body: line 1, column 1: memory alloc limit exceeded/);
    assert.equal(message.title, down.message.title);
    assert.equal(message.text, `${down.message.text}\ntemplate failed: ${failure ?? ''}`);
    assert.deepEqual(message.evidence, down.message.evidence);
  });

  it('treats a template that renders nothing as failed', async () => {
    const compiled = parseTemplate({ body: '{% if false %}x{% endif %}  ' });
    const { failure } = await applyTemplate(down.message, compiled, down);
    assert.equal(failure, 'body: rendered nothing');
  });

  it('leaves a message alone when the target has no template', async () => {
    const { message, failure } = await applyTemplate(down.message, parseTemplate({}), down);
    assert.equal(message, down.message);
    assert.equal(failure, null);
  });

  it('templatedAlert applies a stored template, and sends the default for one it cannot parse', async () => {
    const applied = await templatedAlert(down, { title: '{{ kind }} {{ monitor.name }}' });
    assert.equal(applied.failure, null);
    assert.equal(applied.alert.message.title, 'down Checkout API');
    assert.equal(applied.alert.dedupKey, down.dedupKey);
    const broken = await templatedAlert(down, { body: '{% if %}' });
    assert.match(broken.failure ?? '', /^template\.body: /);
    assert.equal(broken.alert.message.title, down.message.title);
    assert.match(broken.alert.message.text, /\ntemplate failed: template\.body: /);
    assert.equal((await templatedAlert(down, null)).alert, down);
  });
});

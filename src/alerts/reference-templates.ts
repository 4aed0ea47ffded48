import { TEMPLATE_LIMITS, type MessageTemplate } from './kit/template.ts';
import type { TemplateVariableDoc, TemplateVariables } from './kit/template-variables.ts';

// The message templates page (docs/alerts/templates.md), rendered from TEMPLATE_VARIABLES,
// TEMPLATE_LIMITS and TEMPLATE_EXAMPLES; example outputs are rendered by the real engine.

/** One example on the templates page: a target template or a webhook body template. */
export interface TemplateExample {
  heading: string;
  explanation: string;
  template: MessageTemplate;
  /** The language of the rendered output's code block (`json` for webhook bodies). */
  outputLanguage: string;
}

/** The examples the page shows, each rendered against the sample `down` alert. */
export const TEMPLATE_EXAMPLES: readonly TemplateExample[] = [
  {
    heading: 'A short title and the failing nodes',
    explanation: 'A title with an icon per status, and one body line per node that agrees.',
    template: {
      title: '{% if status == "firing" %}🔴{% else %}🟢{% endif %} {{ monitor.name }} {{ kind }}',
      body: [
        '{{ message }}',
        '{% for n in agreeing_nodes -%}',
        '- {{ n.node }} ({{ n.region }}): {{ n.message }}',
        '{% endfor -%}',
        '{% if incident.url %}{{ incident.url }}{% endif %}',
      ].join('\n'),
    },
    outputLanguage: 'text',
  },
  {
    heading: 'A Slack-style webhook body',
    explanation:
      "As a webhook target's `bodyTemplate`: the `json` filter quotes and escapes every value, so the body stays valid JSON whatever a monitor is called.",
    template: {
      body: [
        '{',
        '  "text": {{ title | json }},',
        '  "blocks": [',
        '    {"type": "section", "text": {"type": "mrkdwn", "text": {{ message | json }}}}',
        '    {%- for n in agreeing_nodes -%}',
        '    , {"type": "context", "elements": [{"type": "mrkdwn", "text": {{ n.node | append: ": " | append: n.message | json }}}]}',
        '    {%- endfor %}',
        '  ]',
        '}',
      ].join('\n'),
    },
    outputLanguage: 'json',
  },
];

/** What the page needs besides the constants: sample values and each example's output. */
export interface TemplatesPageInputs {
  /** The variables of the sample alert, shown as each variable's example value. */
  sample: TemplateVariables;
  /** The rendered output of each of TEMPLATE_EXAMPLES, in order. */
  outputs: readonly { title: string; text: string }[];
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
}

function exampleValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return `\`${text.length > 60 ? `${text.slice(0, 59)}…` : text}\``;
}

/** docs/alerts/templates.md (pure). */
export function renderTemplatesPage(
  variables: readonly TemplateVariableDoc[],
  inputs: TemplatesPageInputs,
): string {
  return [
    '# Message templates',
    '',
    '<!-- Generated from src/alerts/kit/template*.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every alert target may carry a message template, `template: { title, body }`, written in',
    'Liquid (the LiquidJS engine, `https://liquidjs.com/`). A title template replaces the',
    "alert's title; a body template replaces its text, and the facts and evidence lines are then",
    'left out: the template decides what is said. Links, colours and length limits are still the',
    "channel's. The generic webhook also takes a `bodyTemplate`: the whole request body (see",
    '[webhook](webhook.md)).',
    '',
    '## Variables',
    '',
    'Examples are from a sample `down` alert. A variable that does not apply to an alert (`monitor`',
    'on a node alert) renders empty.',
    '',
    '| variable | what it holds | example |',
    '| --- | --- | --- |',
    ...variables.map(
      (variable) =>
        `| \`${variable.name}\` | ${cell(variable.description)} | ${cell(exampleValue(inputs.sample[variable.name]))} |`,
    ),
    '',
    '## Examples',
    '',
    ...TEMPLATE_EXAMPLES.flatMap((example, index) => examplePart(example, inputs.outputs[index])),
    '## Limits',
    '',
    `- A title template has at most ${TEMPLATE_LIMITS.titleChars} characters, a body template at most`,
    `  ${TEMPLATE_LIMITS.bodyChars.toLocaleString('en')}; rendered titles and bodies are cut to the same lengths (then to`,
    "  each channel's own limit). A title is one line: line breaks become spaces.",
    `- One render may take ${TEMPLATE_LIMITS.renderMs} ms and allocate ${TEMPLATE_LIMITS.memory.toLocaleString('en')}`,
    '  objects (array items and characters counted by LiquidJS): a loop over a huge range stops.',
    '- Templates are checked when a target is saved: syntax errors are reported with their line and',
    '  column, and an unknown filter or tag is an error (not silently dropped).',
    '- `include`, `render` and `layout` are not available: templates read no files. Variables',
    '  expose their own values only (no `constructor` or other JavaScript internals).',
    '- The `date` filter renders UTC.',
    '',
    '## When a template fails',
    '',
    'A template that hits a limit, fails to render or renders nothing does not lose the alert: the',
    'default message is sent with a last line `template failed: <reason>`, and the reason is in the',
    'alert log. A webhook `bodyTemplate` that fails (or renders invalid JSON for a JSON content',
    'type) fails the delivery instead: the receiver expects the templated shape.',
    '',
  ].join('\n');
}

function examplePart(
  example: TemplateExample,
  output: { title: string; text: string } | undefined,
): string[] {
  const parts: string[] = [`### ${example.heading}`, '', example.explanation, ''];
  if (example.template.title !== undefined) {
    parts.push('Title template:', '', '```liquid', example.template.title, '```', '');
  }
  if (example.template.body !== undefined) {
    parts.push('Body template:', '', '```liquid', example.template.body, '```', '');
  }
  if (output !== undefined) {
    parts.push('Renders, for the sample `down` alert:', '', `\`\`\`${example.outputLanguage}`);
    if (example.template.title !== undefined) parts.push(output.title, '');
    parts.push(output.text, '```', '');
  }
  return parts;
}

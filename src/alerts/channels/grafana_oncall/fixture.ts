import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireJsonObject,
  requireMention,
  requireOneOf,
  requireRoute,
  subjectOf,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'gOnCallContractToken0009';
const DOCS = 'https://grafana.com/docs/oncall/latest/configure/integrations/references/webhook/';
const ROUTE = /^(\/oncall)?\/integrations\/v1\/formatted_webhook\/[^/]+\/?$/;

/** Grafana OnCall's inbound Formatted Webhook integration, as its reference page documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/integrations/v1/formatted_webhook/${TOKEN}/`,
  }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', ROUTE),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    // None of the recognised fields is required; `state` must be one of its two values.
    ...(valueAt(request.json, 'state') === undefined
      ? []
      : requireOneOf(request.json, 'state', ['alerting', 'ok'])),
    ...stringFields(request.json),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (!request.path.includes(TOKEN)) problems.push('integration token not in the path');
    const expected = sent.status === 'firing' ? 'alerting' : 'ok';
    if (valueAt(request.json, 'state') !== expected) problems.push(`state is not ${expected}`);
    if (valueAt(request.json, 'alert_uid') !== sent.dedupKey) problems.push('alert_uid differs');
    problems.push(...requireMention(request.json, 'title', subjectOf(sent)));
    return problems;
  },
  accept: () => ({ status: 200, body: 'Ok.' }),
  documentedExamples: [
    {
      source:
        'https://github.com/grafana/oncall/blob/dev/engine/apps/integrations/templates/html/integration_formatted_webhook.html (the integration\'s "How to connect" request example; the same fields as ' +
        DOCS +
        ')',
      method: 'POST',
      path: '/integrations/v1/formatted_webhook/aBcDeFgHiJkLmNoP/',
      headers: { 'content-type': 'Application/json' },
      body: JSON.stringify({
        alert_uid: '08d6891a-835c-e661-39fa-96b6a9e26552',
        title: 'The whole system is down',
        image_url:
          'https://upload.wikimedia.org/wikipedia/commons/e/ee/Grumpy_Cat_by_Gage_Skidmore.jpg',
        state: 'alerting',
        link_to_upstream_details: 'https://en.wikipedia.org/wiki/Downtime',
        message: 'Smth happened. Oh no!',
      }),
    },
  ],
  errors: [
    { answer: { status: 400 }, retryable: false, why: 'invalid JSON' },
    { answer: { status: 403 }, retryable: false, why: 'integration disabled' },
    { answer: { status: 404 }, retryable: false, why: 'integration removed' },
    { answer: { status: 429 }, retryable: true, why: 'rate limited' },
    { answer: { status: 502 }, retryable: true, why: 'bad gateway' },
  ],
};

/** The recognised fields are text. */
function stringFields(body: unknown): string[] {
  const fields = [
    'alert_uid',
    'title',
    'image_url',
    'state',
    'link_to_upstream_details',
    'message',
  ];
  return fields
    .filter((field) => {
      const value = valueAt(body, field);
      return value !== undefined && typeof value !== 'string';
    })
    .map((field) => `"${field}" is not a string`);
}

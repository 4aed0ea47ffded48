import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireFields,
  requireJsonObject,
  requireMention,
  requireOneOf,
  requireRoute,
  subjectOf,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'sq0contract0webhook0token0007';
const DOCS = 'https://support.squadcast.com/integrations/incident-webhook-incident-webhook-api';
const ROUTE = /^\/v2\/incidents\/api\/[^/]+$/;

/** Squadcast's Incident Webhook alert source, as its integration page documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ webhookUrl: `${baseUrl}/v2/incidents/api/${TOKEN}` }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', ROUTE),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    // "message and description fields in the JSON are mandatory to trigger an incident".
    ...requireFields(request.json, ['message', 'description']),
    ...(valueAt(request.json, 'status') === undefined
      ? []
      : requireOneOf(request.json, 'status', ['trigger', 'resolve'])),
    // Resolving needs the event_id of the incidents to resolve.
    ...(valueAt(request.json, 'status') === 'resolve'
      ? requireFields(request.json, ['event_id'])
      : []),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (request.path !== `/v2/incidents/api/${TOKEN}`)
      problems.push('webhook token not in the path');
    const expected = sent.status === 'firing' ? 'trigger' : 'resolve';
    if (valueAt(request.json, 'status') !== expected) problems.push(`status is not ${expected}`);
    if (valueAt(request.json, 'event_id') !== sent.dedupKey) problems.push('event_id differs');
    problems.push(...requireMention(request.json, 'message', subjectOf(sent)));
    return problems;
  },
  accept: () => ({ status: 202, body: {} }),
  documentedExamples: [
    {
      source: `${DOCS} (How to configure Incident Webhook: body of the POST request)`,
      method: 'POST',
      path: '/v2/incidents/api/d3c3208e86b787faf2ec01c154ed024081dc0fda',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: 'This will be the incident message',
        description: 'This will be the incident description',
        tags: {
          tagname1: 'Tag value#1',
          tagname2: 'Tag value#2',
          tagname3: { color: 'Valid HTML HEX Colour Notation goes here', value: 'Tag value#3' },
        },
        priority: 'P5',
        status: 'trigger',
        event_id: '6',
      }),
    },
  ],
  errors: [
    { answer: { status: 400 }, retryable: false, why: 'invalid payload' },
    { answer: { status: 401 }, retryable: false, why: 'wrong webhook token' },
    { answer: { status: 404 }, retryable: false, why: 'alert source removed' },
    { answer: { status: 429 }, retryable: true, why: 'rate limited' },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

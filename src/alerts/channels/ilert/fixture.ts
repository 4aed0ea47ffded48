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

const INTEGRATION_KEY = 'il1api0contract0key0006';
const DOCS = 'https://docs.ilert.com/developer-docs/rest-api/api-reference/events';
const SAMPLES = 'https://docs.ilert.com/rest-api/api-samples/creating-alerts-through-events';

/** ilert's Events API (POST /api/events), as its API reference and samples document it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS, SAMPLES],
  settings: (baseUrl) => ({ integrationKey: INTEGRATION_KEY, apiUrl: baseUrl }),
  secrets: [INTEGRATION_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/api/events'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    // The integration key travels in the body; no Authorization header is needed.
    ...requireFields(request.json, ['integrationKey', 'eventType', 'summary']),
    ...requireOneOf(request.json, 'eventType', ['ALERT', 'ACCEPT', 'RESOLVE', 'COMMENT']),
    ...(valueAt(request.json, 'priority') === undefined
      ? []
      : requireOneOf(request.json, 'priority', ['HIGH', 'LOW'])),
    ...(valueAt(request.json, 'eventType') === 'ALERT'
      ? []
      : requireFields(request.json, ['alertKey'])),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (valueAt(request.json, 'integrationKey') !== INTEGRATION_KEY)
      problems.push('integrationKey differs');
    const expected = sent.status === 'firing' ? 'ALERT' : 'RESOLVE';
    if (valueAt(request.json, 'eventType') !== expected)
      problems.push(`eventType is not ${expected}`);
    if (valueAt(request.json, 'alertKey') !== sent.dedupKey) problems.push('alertKey differs');
    problems.push(...requireMention(request.json, 'summary', subjectOf(sent)));
    return problems;
  },
  accept: () => ({ status: 202 }),
  documentedExamples: [
    {
      source: `${SAMPLES} (Creating an alert; the sample's comments removed)`,
      method: 'POST',
      path: '/api/events',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        integrationKey: 'il...',
        eventType: 'ALERT',
        summary: 'Your alert summary',
        details: '',
        alertKey: 'abc123',
        priority: 'HIGH',
        images: [{ src: 'https://...jpeg' }],
        links: [{ href: 'https://...', text: 'A link' }],
        customDetails: { some: { more: 'fields' } },
        routingKey: 'abc123',
      }),
    },
  ],
  errors: [
    { answer: { status: 400 }, retryable: false, why: 'invalid event' },
    { answer: { status: 401 }, retryable: false, why: 'unknown integration key' },
    { answer: { status: 404 }, retryable: false, why: 'alert source not found' },
    { answer: { status: 429 }, retryable: true, why: 'rate limited' },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

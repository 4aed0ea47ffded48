import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireAuthScheme,
  requireContentType,
  requireFields,
  requireHeader,
  requireJsonObject,
  requireMention,
  requireOneOf,
  requireRoute,
  subjectOf,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'inc-contract-source-token-0005';
const SOURCE_ID = '01GW2G3V0S59R238FAHPDS1R66';
const DOCS = 'https://docs.incident.io/api-reference/alert-events-v2/createhttp';

/** incident.io Alert Events V2, CreateHTTP, as its API reference documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ alertSourceConfigId: SOURCE_ID, token: TOKEN, apiUrl: baseUrl }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', /^\/v2\/alert_events\/http\/[^/]+$/),
    // The token goes in a Bearer header or, documented as well, in the `token` query parameter.
    ...(request.query.has('token') ? [] : requireAuthScheme(request.headers, 'Bearer')),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['status', 'title']),
    ...requireOneOf(request.json, 'status', ['firing', 'resolved']),
  ],
  semantics: (request, sent) => {
    const problems = requireHeader(request.headers, 'authorization', `Bearer ${TOKEN}`);
    if (request.path !== `/v2/alert_events/http/${SOURCE_ID}`) problems.push('wrong alert source');
    if (valueAt(request.json, 'status') !== sent.status) problems.push('status differs');
    if (valueAt(request.json, 'deduplication_key') !== sent.dedupKey)
      problems.push('deduplication_key differs');
    problems.push(...requireMention(request.json, 'title', subjectOf(sent)));
    return problems;
  },
  accept: (request) => ({
    status: 202,
    body: {
      deduplication_key: valueAt(request.json, 'deduplication_key') ?? 'unique-key',
      message: 'Event accepted for processing',
      status: 'success',
    },
  }),
  documentedExamples: [
    {
      source: `${DOCS} (CreateHTTP request sample; Bearer authentication as the API reference's Authentication section documents)`,
      method: 'POST',
      path: '/v2/alert_events/http/01GW2G3V0S59R238FAHPDS1R66',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer some-random-string',
      },
      body: JSON.stringify({
        deduplication_key: '4293868629',
        description:
          "We've detected a number of timeouts on hello.world.com, the service may be down. To fix...",
        metadata: { service: 'hello.world.com', team: ['my-team'] },
        source_url: 'https://www.my-alerting-platform.com/alerts/my-alert-123',
        status: 'firing',
        title: '*errors.withMessage: PG::Error failed to connect',
      }),
    },
  ],
  errors: [
    { answer: { status: 400 }, retryable: false, why: 'invalid alert event' },
    { answer: { status: 401 }, retryable: false, why: 'wrong token' },
    { answer: { status: 404 }, retryable: false, why: 'unknown alert source config' },
    { answer: { status: 422 }, retryable: false, why: 'validation error' },
    { answer: { status: 429 }, retryable: true, why: 'rate limited (1200 requests/minute)' },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

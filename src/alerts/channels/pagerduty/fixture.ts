import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireMention,
  requireOneOf,
  requireRoute,
  subjectOf,
  valueAt,
} from '../../testing/protocol-checks.ts';

const ROUTING_KEY = 'R0UT1NGKEYc0ntract00000000000042';
const DOCS = 'https://developer.pagerduty.com/docs/send-alert-event';

/** PagerDuty Events API v2, as developer.pagerduty.com documents "Send an Alert Event". */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ routingKey: ROUTING_KEY, apiUrl: baseUrl }),
  secrets: [ROUTING_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/v2/enqueue'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['routing_key', 'event_action']),
    ...routingKeyLength(request.json),
    ...requireOneOf(request.json, 'event_action', ['trigger', 'acknowledge', 'resolve']),
    ...maxLength(request.json, 'dedup_key', 255),
    ...actionFields(request.json),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    const action = valueAt(request.json, 'event_action');
    const expected = sent.status === 'firing' ? 'trigger' : 'resolve';
    if (action !== expected)
      problems.push(`event_action is ${String(action)}, expected ${expected}`);
    if (valueAt(request.json, 'dedup_key') !== sent.dedupKey) problems.push('dedup_key differs');
    if (valueAt(request.json, 'routing_key') !== ROUTING_KEY) problems.push('routing_key differs');
    if (expected === 'trigger') {
      problems.push(...requireMention(request.json, 'payload.summary', subjectOf(sent)));
      const severity = sent.event.kind === 'down' || sent.event.kind === 'node-missing';
      if (severity && valueAt(request.json, 'payload.severity') !== 'critical')
        problems.push('a down alert is not critical');
    }
    return problems;
  },
  accept: (request: ProviderRequest) => ({
    status: 202,
    body: {
      status: 'success',
      message: 'Event processed',
      dedup_key: valueAt(request.json, 'dedup_key') ?? 'samplekeyhere',
    },
  }),
  documentedExamples: [
    {
      source: `${DOCS} (Sample trigger event)`,
      method: 'POST',
      path: '/v2/enqueue',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        payload: {
          summary: 'DISK at 99% on machine prod-datapipe03.example.com',
          timestamp: '2015-07-17T08:42:58.315+0000',
          severity: 'critical',
          source: 'prod-datapipe03.example.com',
          component: 'mysql',
          group: 'prod-datapipe',
          class: 'disk',
          custom_details: { 'free space': '1%', 'ping time': '1500ms', 'load avg': 0.75 },
        },
        routing_key: 'e93facc04764012d7bfb002500d5d1a6',
        dedup_key: 'srv01/mysql',
        event_action: 'trigger',
        client: 'Sample Monitoring Service',
        client_url: 'https://monitoring.service.com',
      }),
    },
    {
      source: `${DOCS} (Sample resolve event)`,
      method: 'POST',
      path: '/v2/enqueue',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        routing_key: 'e93facc04764012d7bfb002500d5d1a6',
        event_action: 'resolve',
        dedup_key: 'srv01/mysql',
      }),
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
        },
      },
      retryable: false,
      why: 'invalid event',
    },
    { answer: { status: 429 }, retryable: true, why: 'too many API calls for this routing key' },
    { answer: { status: 500 }, retryable: true, why: 'internal server error' },
    { answer: { status: 503 }, retryable: true, why: 'service unavailable' },
  ],
};

/** "Length of 'routing_key' is incorrect (should be 32 characters)". */
function routingKeyLength(body: unknown): string[] {
  const key = valueAt(body, 'routing_key');
  return typeof key === 'string' && key.length !== 32 ? ['routing_key is not 32 characters'] : [];
}

/** A trigger needs payload.summary, source and severity; acknowledge and resolve a dedup_key. */
function actionFields(body: unknown): string[] {
  if (valueAt(body, 'event_action') !== 'trigger') return requireFields(body, ['dedup_key']);
  return [
    ...requireFields(body, ['payload.summary', 'payload.source', 'payload.severity']),
    ...requireOneOf(body, 'payload.severity', ['critical', 'error', 'warning', 'info']),
    ...maxLength(body, 'payload.summary', 1024),
  ];
}

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

const API_KEY = 'c0ntract-splunk-api-key-0004';
const ROUTING_KEY = 'database';
const DOCS =
  'https://docs.splunk.com/observability/en/sp-oncall/spoc-integrations/rest-endpoint-integration-guide.html';
const ROUTE = /^\/integrations\/generic\/20131114\/alert\/[^/]+\/[^/]+$/;

/** Splunk On-Call's REST endpoint integration, as its integration guide documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ apiKey: API_KEY, routingKey: ROUTING_KEY, apiUrl: baseUrl }),
  secrets: [API_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', ROUTE),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['message_type']),
    ...requireOneOf(request.json, 'message_type', [
      'INFO',
      'WARNING',
      'ACKNOWLEDGEMENT',
      'CRITICAL',
      'RECOVERY',
    ]),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    const expectedPath = `/integrations/generic/20131114/alert/${API_KEY}/${ROUTING_KEY}`;
    if (request.path !== expectedPath) problems.push('api key or routing key not in the path');
    const type = valueAt(request.json, 'message_type');
    if (sent.status === 'resolved' && type !== 'RECOVERY') problems.push('closing is not RECOVERY');
    if (sent.event.kind === 'down' && type !== 'CRITICAL') problems.push('down is not CRITICAL');
    if (valueAt(request.json, 'entity_id') !== sent.dedupKey) problems.push('entity_id differs');
    problems.push(...requireMention(request.json, 'entity_display_name', subjectOf(sent)));
    return problems;
  },
  accept: (request) => ({
    status: 200,
    body: { result: 'success', entity_id: valueAt(request.json, 'entity_id') ?? '' },
  }),
  documentedExamples: [
    {
      source: `${DOCS} (Example alerts: Trigger a critical incident)`,
      method: 'POST',
      path: '/integrations/generic/20131114/alert/$api_key/database',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message_type: 'CRITICAL',
        entity_id: 'disk space/db01.mycompany.com',
        entity_display_name: 'Critically Low Disk Space on DB01',
        state_message:
          'The disk is really really full. Here is a bunch of information about the problem',
      }),
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { result: 'failure', message: 'Missing fields: message_type' } },
      retryable: false,
      why: 'invalid event',
    },
    { answer: { status: 404 }, retryable: false, why: 'unknown API key' },
    { answer: { status: 429 }, retryable: true, why: 'rate limited' },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

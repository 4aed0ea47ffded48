import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxLength,
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

const API_KEY = 'eb243592-contract-genie-key-0003';
const DOCS = 'https://docs.opsgenie.com/docs/alert-api';
const CLOSE_PATH = /^\/v2\/alerts\/[^/]+\/close$/;

/** Opsgenie Alert API: Create Alert and Close Alert, as docs.opsgenie.com documents them. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ apiKey: API_KEY, apiUrl: baseUrl }),
  secrets: [API_KEY],
  protocol: (request) => [
    ...requireAuthScheme(request.headers, 'GenieKey'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...(CLOSE_PATH.test(request.path) ? closeProblems(request) : createProblems(request)),
  ],
  semantics: (request, sent) => {
    const problems = requireHeader(request.headers, 'authorization', `GenieKey ${API_KEY}`);
    if (sent.status === 'firing') {
      if (request.path !== '/v2/alerts') problems.push('a firing alert must create an alert');
      if (valueAt(request.json, 'alias') !== sent.dedupKey) problems.push('alias differs');
      problems.push(...requireMention(request.json, 'message', subjectOf(sent)));
    } else {
      const expected = `/v2/alerts/${encodeURIComponent(sent.dedupKey)}/close`;
      if (request.path !== expected) problems.push(`path is ${request.path}, expected ${expected}`);
      if (request.query.get('identifierType') !== 'alias') problems.push('not closed by alias');
    }
    return problems;
  },
  accept: () => ({
    status: 202,
    body: {
      result: 'Request will be processed',
      took: 0.302,
      requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
    },
  }),
  documentedExamples: [
    {
      source: `${DOCS} (Create Alert, sample request)`,
      method: 'POST',
      path: '/v2/alerts',
      headers: {
        'content-type': 'application/json',
        authorization: 'GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889',
      },
      body: JSON.stringify({
        message: 'An example alert message',
        alias: 'Life is too short for no alias',
        description: 'Every alert needs a description',
        responders: [
          { id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', type: 'team' },
          { name: 'NOC', type: 'team' },
        ],
        visibleTo: [{ id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', type: 'team' }],
        actions: ['Restart', 'AnExampleAction'],
        tags: ['OverwriteQuietHours', 'Critical'],
        details: { key1: 'value1', key2: 'value2' },
        entity: 'An example entity',
        priority: 'P1',
      }),
    },
    {
      source: `${DOCS} (Close Alert, sample request)`,
      method: 'POST',
      path: '/v2/alerts/life_is_too_short_for_no_alias/close?identifierType=alias',
      headers: {
        'content-type': 'application/json',
        authorization: 'GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889',
      },
      body: JSON.stringify({
        user: 'Monitoring Script',
        source: 'AWS Lambda',
        note: 'Action executed via Alert API',
      }),
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { message: 'Invalid request' } },
      retryable: false,
      why: 'invalid request',
    },
    { answer: { status: 401 }, retryable: false, why: 'wrong key or wrong region (US vs EU)' },
    { answer: { status: 403 }, retryable: false, why: 'key lacks create and update rights' },
    { answer: { status: 422 }, retryable: false, why: 'semantically invalid request' },
    { answer: { status: 429 }, retryable: true, why: 'too many requests' },
    { answer: { status: 500 }, retryable: true, why: 'internal server error' },
  ],
};

function createProblems(request: ProviderRequest): string[] {
  const body = request.json;
  const problems = [
    ...requireRoute(request, 'POST', '/v2/alerts'),
    ...requireFields(body, ['message']),
    ...maxLength(body, 'message', 130),
    ...maxLength(body, 'alias', 512),
    ...maxLength(body, 'description', 15_000),
    ...maxLength(body, 'entity', 512),
    ...maxLength(body, 'source', 100),
    ...maxLength(body, 'user', 100),
    ...maxLength(body, 'note', 25_000),
  ];
  if (valueAt(body, 'priority') !== undefined)
    problems.push(...requireOneOf(body, 'priority', ['P1', 'P2', 'P3', 'P4', 'P5']));
  const tags = valueAt(body, 'tags');
  if (Array.isArray(tags) && (tags.length > 20 || tags.some((t) => String(t).length > 50)))
    problems.push('tags exceed 20 tags of 50 characters');
  const details = valueAt(body, 'details');
  if (details !== undefined && JSON.stringify(details).length > 8000)
    problems.push('details exceed 8000 characters');
  return problems;
}

function closeProblems(request: ProviderRequest): string[] {
  const problems = [...requireRoute(request, 'POST', CLOSE_PATH)];
  const type = request.query.get('identifierType');
  if (type !== null && !['id', 'alias', 'tiny'].includes(type))
    problems.push(`identifierType is ${type}, expected id, alias or tiny`);
  return [
    ...problems,
    ...maxLength(request.json, 'note', 25_000),
    ...maxLength(request.json, 'source', 100),
    ...maxLength(request.json, 'user', 100),
  ];
}

import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  maxLength,
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

const API_KEY = 'ddcontractapikey00000000000000011';
const DOCS = 'https://docs.datadoghq.com/api/latest/events/#post-an-event';

/** Datadog Events API v1, "Post an event", as docs.datadoghq.com documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ apiKey: API_KEY, apiUrl: baseUrl, tags: ['env:test'] }),
  secrets: [API_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/api/v1/events'),
    ...(typeof request.headers['dd-api-key'] === 'string' && request.headers['dd-api-key'] !== ''
      ? []
      : ['DD-API-KEY header missing']),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['title', 'text']),
    ...maxLength(request.json, 'title', 100),
    ...maxLength(request.json, 'text', 4000),
    ...maxLength(request.json, 'aggregation_key', 100),
    ...optionalEnum(request.json, 'alert_type', [
      'error',
      'warning',
      'info',
      'success',
      'user_update',
      'recommendation',
      'snapshot',
    ]),
    ...optionalEnum(request.json, 'priority', ['normal', 'low']),
    ...tagProblems(valueAt(request.json, 'tags')),
  ],
  semantics: (request, sent) => {
    const problems = requireHeader(request.headers, 'dd-api-key', API_KEY);
    if (valueAt(request.json, 'aggregation_key') !== sent.dedupKey)
      problems.push('aggregation_key differs');
    const type = valueAt(request.json, 'alert_type');
    if (sent.status === 'resolved' && type !== 'success') problems.push('a closing is not success');
    if (sent.event.kind === 'down' && type !== 'error') problems.push('down is not an error');
    const tags = valueAt(request.json, 'tags');
    if (!Array.isArray(tags) || !tags.includes('env:test')) problems.push('configured tag missing');
    problems.push(...requireMention(request.json, 'title', subjectOf(sent)));
    return problems;
  },
  accept: (request) => ({
    status: 202,
    body: {
      status: 'ok',
      event: {
        id: 1377281704830403,
        title: valueAt(request.json, 'title'),
        url: 'https://app.datadoghq.com/event/event?id=1377281704830403',
      },
    },
  }),
  documentedExamples: [
    {
      source: `${DOCS} (Code example: curl)`,
      method: 'POST',
      path: '/api/v1/events',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'dd-api-key': '${DD_API_KEY}',
      },
      body: JSON.stringify({
        title: 'Example-Event',
        text: 'A text message.',
        tags: ['test:ExampleEvent'],
      }),
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { errors: ['Bad Request'] } },
      retryable: false,
      why: 'bad request',
    },
    {
      answer: { status: 403, body: { errors: ['Forbidden'] } },
      retryable: false,
      why: 'invalid API key',
    },
    { answer: { status: 429 }, retryable: true, why: 'too many requests' },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

function optionalEnum(body: unknown, path: string, allowed: readonly string[]): string[] {
  return valueAt(body, path) === undefined ? [] : requireOneOf(body, path, allowed);
}

function tagProblems(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))
    return ['tags is not a list of strings'];
  return tags.some((tag: string) => tag.length > 200) ? ['a tag exceeds 200 characters'] : [];
}

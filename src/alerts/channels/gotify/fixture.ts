import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireFields,
  requireJsonObject,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'AcontractGotify1';

/** POST /message with an application token, as gotify.net documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://gotify.net/docs/pushmsg',
    'https://gotify.net/docs/msgextras',
    'https://gotify.net/api-docs#/message/createMessage',
  ],
  settings: (baseUrl) => ({ url: baseUrl, token: TOKEN }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/message'),
    ...(appToken(request) === undefined
      ? ['no application token (X-Gotify-Key, ?token= or Bearer)']
      : []),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['message']),
    ...priorityProblems(valueAt(request.json, 'priority')),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (appToken(request) !== TOKEN) problems.push('application token differs');
    if (valueAt(request.json, 'title') !== sent.message.title)
      problems.push('title is not the alert title');
    const expected = { critical: 8, warning: 5, ok: 4, info: 2 }[sent.message.severity];
    if (valueAt(request.json, 'priority') !== expected)
      problems.push('priority does not follow the severity');
    if (stringAt(request.json, 'message') === '') problems.push('message is empty');
    return problems;
  },
  accept: (request) => ({
    status: 200,
    body: {
      id: 25,
      appid: 5,
      message: valueAt(request.json, 'message'),
      title: valueAt(request.json, 'title'),
      priority: valueAt(request.json, 'priority'),
      date: '2026-12-04T03:01:00.000Z',
    },
  }),
  documentedExamples: [
    {
      source:
        'https://gotify.net/docs/msgextras — extras example ("client::display" markdown) sent to /message?token=<apptoken> with Content-Type: application/json',
      method: 'POST',
      path: '/message?token=AbCdEf123456789',
      headers: { 'content-type': 'application/json' },
      body: '{"message": "**Markdown** message", "title": "Markdown", "priority": 5, "extras": {"client::display": {"contentType": "text/markdown"}}}',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          error: 'Bad Request',
          errorCode: 400,
          errorDescription: 'Field message is required',
        },
      },
      retryable: false,
      why: 'invalid message',
    },
    {
      answer: {
        status: 401,
        body: {
          error: 'Unauthorized',
          errorCode: 401,
          errorDescription:
            'you need to provide a valid access token or user credentials to access this api',
        },
      },
      retryable: false,
      why: 'wrong application token',
    },
    {
      answer: {
        status: 403,
        body: { error: 'Forbidden', errorCode: 403, errorDescription: 'forbidden' },
      },
      retryable: false,
      why: 'forbidden',
    },
    {
      answer: { status: 502, body: 'Bad Gateway' },
      retryable: true,
      why: 'server behind a proxy is down',
    },
  ],
};

/** The app token: X-Gotify-Key header, `token` query parameter, or a Bearer header. */
function appToken(request: ProviderRequest): string | undefined {
  const header = request.headers['x-gotify-key'];
  if (typeof header === 'string' && header !== '') return header;
  const query = request.query.get('token');
  if (query !== null && query !== '') return query;
  const auth = String(request.headers['authorization'] ?? '');
  return auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

function priorityProblems(priority: unknown): string[] {
  if (priority === undefined) return [];
  return Number.isInteger(priority) ? [] : ['priority must be an integer'];
}

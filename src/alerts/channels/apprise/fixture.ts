import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireFields,
  requireJsonObject,
  requireOneOf,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const URLS = 'tgram://123456789:contractAppriseBotToken01/-1001234567890';

/** POST /notify/ and /notify/<key> of caronc/apprise-api, as its README documents them. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://github.com/caronc/apprise-api#api-details',
    'https://github.com/caronc/apprise-api#stateless-solution',
    'https://appriseit.com/api/reference/response-codes/',
  ],
  settings: (baseUrl) => ({ url: baseUrl, urls: URLS }),
  secrets: [URLS],
  protocol: (request) => [
    ...requireRoute(request, 'POST', /^\/notify\/([\w-]{1,128})?$/),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['body']),
    ...(request.path === '/notify/' ? requireFields(request.json, ['urls']) : []),
    ...(valueAt(request.json, 'type') === undefined
      ? []
      : requireOneOf(request.json, 'type', ['info', 'success', 'warning', 'failure'])),
    ...(valueAt(request.json, 'format') === undefined
      ? []
      : requireOneOf(request.json, 'format', ['text', 'markdown', 'html'])),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (valueAt(request.json, 'urls') !== URLS) problems.push('urls differ from the settings');
    if (valueAt(request.json, 'title') !== sent.message.title)
      problems.push('title is not the alert title');
    const expected = { critical: 'failure', warning: 'warning', ok: 'success', info: 'info' }[
      sent.message.severity
    ];
    if (valueAt(request.json, 'type') !== expected)
      problems.push('type does not follow the severity');
    if (stringAt(request.json, 'body') === '') problems.push('body is empty');
    return problems;
  },
  accept: () => ({ status: 200, body: 'Notification(s) sent.' }),
  documentedExamples: [
    {
      source:
        'https://github.com/caronc/apprise-api#stateless-solution — "Notifies an email address" curl example',
      method: 'POST',
      path: '/notify/',
      headers: { 'content-type': 'application/json' },
      body: '{"urls":"mailto://user:pass@gmail.com","body":"test body","title":"test title"}',
    },
  ],
  errors: [
    {
      answer: { status: 400, body: 'An invalid payload was specified.' },
      retryable: false,
      why: 'invalid payload',
    },
    { answer: { status: 204 }, retryable: false, why: 'nothing matched: nobody notified' },
    {
      answer: { status: 424, body: 'One or more notification could not be sent.' },
      retryable: true,
      why: 'a downstream service failed',
    },
    { answer: { status: 500, body: 'An error occurred.' }, retryable: true, why: 'server error' },
  ],
};

import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireBasicAuth,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const PASSWORD = 'signal-proxy-contract-password-0001';
const NUMBER = '+4915112345678';
const RECIPIENTS = ['+4915187654321', 'group.Y3Jvc3NjaGVja29wcw=='];

/** POST /v2/send of bbernhard/signal-cli-rest-api, as its Swagger page and EXAMPLES.md document it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://bbernhard.github.io/signal-cli-rest-api/#/Messages/post_v2_send',
    'https://github.com/bbernhard/signal-cli-rest-api/blob/master/doc/EXAMPLES.md',
  ],
  settings: (baseUrl) => ({
    url: baseUrl,
    number: NUMBER,
    recipients: RECIPIENTS,
    username: 'crosscheck',
    password: PASSWORD,
  }),
  secrets: [PASSWORD],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/v2/send'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['message', 'number', 'recipients']),
    ...(Array.isArray(valueAt(request.json, 'recipients')) ? [] : ['recipients is not an array']),
  ],
  semantics: (request, sent) => {
    const problems = [...requireBasicAuth(request.headers, 'crosscheck', PASSWORD)];
    if (valueAt(request.json, 'number') !== NUMBER) problems.push('number differs');
    if (JSON.stringify(valueAt(request.json, 'recipients')) !== JSON.stringify(RECIPIENTS))
      problems.push('recipients differ');
    if (!stringAt(request.json, 'message').includes(sent.message.title))
      problems.push('message lacks the alert title');
    return problems;
  },
  accept: () => ({ status: 201, body: { timestamp: '1767225600123' } }),
  documentedExamples: [
    {
      source:
        'https://github.com/bbernhard/signal-cli-rest-api/blob/master/doc/EXAMPLES.md — "Send a message to multiple recipients"',
      method: 'POST',
      path: '/v2/send',
      headers: { 'content-type': 'application/json' },
      body: '{"message": "Hello World!", "number": "+431212131491291", "recipients": ["+4354546464654", "+4912812812121"]}',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: { error: 'Failed to send message: Unregistered user "+4915187654321"' },
      },
      retryable: false,
      why: 'recipient not on Signal',
    },
    {
      answer: {
        status: 400,
        body: { error: 'Failed to send message: [429] Rate Limited (RateLimitException)' },
      },
      retryable: true,
      why: "Signal's rate limit, relayed as 400",
    },
    { answer: { status: 401 }, retryable: false, why: 'proxy refused the credentials' },
    {
      answer: { status: 404, body: '404 page not found' },
      retryable: false,
      why: 'API without /v2/send',
    },
    {
      answer: { status: 500, body: { error: 'signal-cli daemon not running' } },
      retryable: true,
      why: 'daemon down',
    },
  ],
};

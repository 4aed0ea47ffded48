import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  mentionsAlert,
  requireContentType,
  requireJsonObject,
  requireQueryParam,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// Google Chat incoming webhooks (developers.google.com/workspace/chat/quickstart/webhooks):
// POST to spaces.messages.create with the webhook's key and token in the query; `text` up to
// 4,096 characters, a message up to 32,000 bytes; `messageReplyOption` to reply in a thread
// (developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create).

const WEBHOOK_TOKEN = 'pX7vN2qR9sT4uW6yZ1aC3eG5iK8mO0qS2uW4yA6cE8g';
const API_KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI';
const REPLY_OPTIONS = ['REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD', 'REPLY_MESSAGE_OR_FAIL'];

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://developers.google.com/workspace/chat/quickstart/webhooks',
    'https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/v1/spaces/AAAAb3nQ2xY/messages?key=${API_KEY}&token=${WEBHOOK_TOKEN}`,
  }),
  secrets: [WEBHOOK_TOKEN],
  protocol: (request) => {
    const problems = [
      ...requireRoute(request, 'POST', /^\/v1\/spaces\/[^/]+\/messages$/),
      ...requireQueryParam(request.query, 'key'),
      ...requireQueryParam(request.query, 'token'),
      ...requireContentType(request.headers, 'application/json'),
      ...requireJsonObject(request.json),
      ...maxLength(request.json, 'text', 4096),
    ];
    const option = request.query.get('messageReplyOption');
    if (option !== null && !REPLY_OPTIONS.includes(option))
      problems.push(`messageReplyOption ${option} is not a documented value`);
    if (
      valueAt(request.json, 'text') === undefined &&
      valueAt(request.json, 'cardsV2') === undefined
    )
      problems.push('neither text nor cardsV2');
    if (Buffer.byteLength(request.rawBody) > 32_000) problems.push('message over 32,000 bytes');
    return problems;
  },
  semantics: (request, sent) => [
    ...mentionsAlert(valueAt(request.json, 'text'), sent),
    ...(request.query.get('token') === WEBHOOK_TOKEN ? [] : ['webhook token not passed']),
    ...(valueAt(request.json, 'thread.threadKey') === sent.dedupKey
      ? []
      : ['the thread key is not the incident’s dedup key']),
    ...(request.query.get('messageReplyOption') === null
      ? ['no messageReplyOption: the thread key would be ignored']
      : []),
  ],
  accept: () => ({
    status: 200,
    body: {
      name: 'spaces/AAAAb3nQ2xY/messages/9h2fL0aQ8Zc.9h2fL0aQ8Zc',
      sender: { name: 'users/114022495153014004089', type: 'BOT' },
      text: '…',
      thread: { name: 'spaces/AAAAb3nQ2xY/threads/9h2fL0aQ8Zc' },
      space: { name: 'spaces/AAAAb3nQ2xY' },
      createTime: '2026-12-04T03:01:00.000000Z',
    },
  }),
  documentedExamples: [
    {
      source:
        'https://developers.google.com/workspace/chat/quickstart/webhooks (Send a message to the webhook, Python sample)',
      method: 'POST',
      path: '/v1/spaces/SPACE_ID/messages?key=KEY&token=TOKEN',
      headers: { 'Content-Type': 'application/json; charset=UTF-8' },
      body: '{"text": "Hello from a Python script!"}',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: { error: { code: 400, message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' } },
      },
      retryable: false,
      why: 'INVALID_ARGUMENT',
    },
    {
      answer: {
        status: 403,
        body: {
          error: {
            code: 403,
            message: 'The caller does not have permission',
            status: 'PERMISSION_DENIED',
          },
        },
      },
      retryable: false,
      why: 'PERMISSION_DENIED (webhook removed from the space)',
    },
    {
      answer: { status: 404, body: { error: { code: 404, status: 'NOT_FOUND' } } },
      retryable: false,
      why: 'NOT_FOUND',
    },
    {
      answer: { status: 500, body: { error: { code: 500, status: 'INTERNAL' } } },
      retryable: true,
      why: 'INTERNAL',
    },
    {
      answer: { status: 503, body: { error: { code: 503, status: 'UNAVAILABLE' } } },
      retryable: true,
      why: 'UNAVAILABLE',
    },
  ],
};

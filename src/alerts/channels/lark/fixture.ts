import { createHmac } from 'node:crypto';
import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  mentionsAlert,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireOneOf,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// Lark/Feishu custom bots (open.larksuite.com/document/client-docs/bot-v3/add-custom-bot):
// POST /open-apis/bot/v2/hook/<token>, JSON with msg_type and its content (or card); with
// signature verification, `timestamp` (seconds, within an hour) and `sign` =
// base64(HMAC-SHA256(key "<timestamp>\n<secret>", empty message)); request body ≤ 20 KB.
// Success is `{"code":0}`; refusals are other codes, with HTTP 200.

const HOOK_TOKEN = '8f3c2b1a-6d5e-4f70-9a8b-7c6d5e4f3a2b';
const SECRET = 'qL8vN3xT6wZ9bC2eF5hJ7kM0';
const MSG_TYPES = ['text', 'post', 'image', 'share_chat', 'interactive'];

function contentProblems(body: unknown): string[] {
  switch (valueAt(body, 'msg_type')) {
    case 'text':
      return requireFields(body, ['content.text']);
    case 'interactive':
      return valueAt(body, 'card') === undefined ? ['an interactive message needs a card'] : [];
    default:
      return [];
  }
}

/** Documented: `sign` comes with a `timestamp`; an unsigned request carries neither. */
function signatureShape(body: unknown): string[] {
  const sign = valueAt(body, 'sign');
  const timestamp = valueAt(body, 'timestamp');
  if (sign === undefined) return [];
  return typeof timestamp === 'string' && /^\d+$/.test(timestamp)
    ? []
    : ['sign without a timestamp in seconds'];
}

function signatureValid(request: ProviderRequest): string[] {
  const timestamp = valueAt(request.json, 'timestamp');
  const sign = valueAt(request.json, 'sign');
  if (typeof timestamp !== 'string' || typeof sign !== 'string')
    return ['the request is not signed'];
  const expected = createHmac('sha256', `${timestamp}\n${SECRET}`).update('').digest('base64');
  const problems = sign === expected ? [] : ['sign does not verify'];
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 3600)
    problems.push('timestamp is over an hour off');
  return problems;
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://open.larksuite.com/document/client-docs/bot-v3/add-custom-bot',
    'https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/open-apis/bot/v2/hook/${HOOK_TOKEN}`,
    secret: SECRET,
  }),
  secrets: [HOOK_TOKEN, SECRET],
  protocol: (request) => {
    const problems = [
      ...requireRoute(request, 'POST', /^\/open-apis\/bot\/v2\/hook\/[^/]+$/),
      ...requireContentType(request.headers, 'application/json'),
      ...requireJsonObject(request.json),
      ...requireOneOf(request.json, 'msg_type', MSG_TYPES),
      ...contentProblems(request.json),
      ...signatureShape(request.json),
    ];
    if (Buffer.byteLength(request.rawBody) > 20 * 1024) problems.push('request over 20 KB');
    return problems;
  },
  semantics: (request, sent) => [
    ...signatureValid(request),
    ...mentionsAlert(valueAt(request.json, 'card.header.title.content'), sent),
  ],
  accept: () => ({ status: 200, body: { code: 0, data: {}, msg: 'success' } }),
  documentedExamples: [
    {
      source:
        'https://open.larksuite.com/document/client-docs/bot-v3/add-custom-bot (Step 2: test calling the webhook)',
      method: 'POST',
      path: '/open-apis/bot/v2/hook/****',
      headers: { 'Content-Type': 'application/json' },
      body: '{"msg_type":"text","content":{"text":"request example"}}',
    },
    {
      source:
        'https://open.larksuite.com/document/client-docs/bot-v3/add-custom-bot (Signature verification: request with timestamp and sign)',
      method: 'POST',
      path: '/open-apis/bot/v2/hook/****',
      headers: { 'Content-Type': 'application/json' },
      body: '{"timestamp":"1599360473","sign":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","msg_type":"text","content":{"text":"request example"}}',
    },
  ],
  errors: [
    {
      answer: {
        status: 200,
        body: {
          code: 19021,
          msg: 'sign match fail or timestamp is not within one hour from current time',
        },
      },
      retryable: false,
      why: 'code 19021 signature mismatch',
    },
    {
      answer: { status: 200, body: { code: 9499, msg: 'Bad Request', data: {} } },
      retryable: false,
      why: 'code 9499 bad request',
    },
    {
      answer: { status: 200, body: { code: 11232, msg: 'frequency limited' } },
      retryable: true,
      why: 'code 11232 frequency limited',
    },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

import { createHmac } from 'node:crypto';
import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxBytes,
  mentionsAlert,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireOneOf,
  requireQueryParam,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// DingTalk custom robots (open.dingtalk.com/document/orgapp/custom-robots-send-group-messages,
// …/customize-robot-security-settings): POST /robot/send?access_token=…, JSON with msgtype and
// its content; signed robots add `timestamp` (ms, within an hour) and `sign` =
// base64(HMAC-SHA256(secret, "<timestamp>\n<secret>")) to the query. Success is
// `{"errcode":0}`; refusals are other codes, with HTTP 200.

const ACCESS_TOKEN = 'e9a8118c8a3dc4f2b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4';
const SECRET = 'SEC10d6e79b42bd94be0d0d603843651aa2ccd7186db6edbc5f2a9cf421cd';
const MSG_TYPES = ['text', 'link', 'markdown', 'actionCard', 'feedCard'];

function contentProblems(body: unknown): string[] {
  switch (valueAt(body, 'msgtype')) {
    case 'text':
      return requireFields(body, ['text.content']);
    case 'markdown':
      return [
        ...requireFields(body, ['markdown.title', 'markdown.text']),
        // Not a documented per-field limit: DingTalk refuses messages of roughly 20 KB.
        ...maxBytes(body, 'markdown.text', 20_000),
      ];
    default:
      return [];
  }
}

function signatureShape(query: URLSearchParams): string[] {
  if (query.get('sign') === null) return [];
  return /^\d{13}$/.test(query.get('timestamp') ?? '') ? [] : ['sign without a ms timestamp'];
}

function signatureValid(request: ProviderRequest): string[] {
  const timestamp = request.query.get('timestamp');
  const sign = request.query.get('sign');
  if (timestamp === null || sign === null) return ['the request is not signed'];
  const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
  const problems = sign === expected ? [] : ['sign does not verify'];
  if (Math.abs(Date.now() - Number(timestamp)) > 3_600_000)
    problems.push('timestamp is over an hour off');
  return problems;
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages',
    'https://open.dingtalk.com/document/robots/customize-robot-security-settings',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/robot/send?access_token=${ACCESS_TOKEN}`,
    secret: SECRET,
  }),
  secrets: [ACCESS_TOKEN, SECRET],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/robot/send'),
    ...requireQueryParam(request.query, 'access_token'),
    ...signatureShape(request.query),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireOneOf(request.json, 'msgtype', MSG_TYPES),
    ...contentProblems(request.json),
  ],
  semantics: (request, sent) => [
    ...(request.query.get('access_token') === ACCESS_TOKEN ? [] : ['access token not passed']),
    ...signatureValid(request),
    ...mentionsAlert(valueAt(request.json, 'markdown.title'), sent),
    ...mentionsAlert(valueAt(request.json, 'markdown.text'), sent),
  ],
  accept: () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }),
  documentedExamples: [
    {
      source:
        'https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages (markdown message example)',
      method: 'POST',
      path: '/robot/send?access_token=XXXXXX',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: {
          title: '杭州天气',
          text: '#### 杭州天气 @150XXXXXXXX \n > 9度，西北风1级，空气良89，相对温度73%\n > ![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png)\n > ###### 10点20分发布 [天气](https://www.dingtalk.com) \n',
        },
        at: { atMobiles: ['150XXXXXXXX'], isAtAll: false },
      }),
    },
    {
      source:
        'https://open.dingtalk.com/document/robots/customize-robot-security-settings (signed URL with timestamp and sign)',
      method: 'POST',
      path: '/robot/send?access_token=XXXXXX&timestamp=1577262236757&sign=xxxxxxxxxx',
      headers: { 'Content-Type': 'application/json' },
      body: '{"msgtype":"text","text":{"content":"我就是我, 是不一样的烟火"}}',
    },
  ],
  errors: [
    {
      answer: { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } },
      retryable: false,
      why: 'errcode 310000 security check failed',
    },
    {
      answer: { status: 200, body: { errcode: 300001, errmsg: 'token is not exist' } },
      retryable: false,
      why: 'errcode 300001 unknown token',
    },
    {
      answer: {
        status: 200,
        body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' },
      },
      retryable: true,
      why: 'errcode 130101 rate limit',
    },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

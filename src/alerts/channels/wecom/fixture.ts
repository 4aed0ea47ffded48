import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
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

// WeCom group robots (developer.work.weixin.qq.com/document/path/91770): POST
// /cgi-bin/webhook/send?key=…, UTF-8 JSON with msgtype and its content; text content ≤ 2,048
// bytes, markdown content ≤ 4,096 bytes. Success is `{"errcode":0,"errmsg":"ok"}`; refusals
// are other codes, with HTTP 200.

const KEY = '693a91f6-7a0c-4bc4-97a0-0ec2f1fa5aaa';
const MSG_TYPES = [
  'text',
  'markdown',
  'markdown_v2',
  'image',
  'news',
  'file',
  'voice',
  'template_card',
];

function contentProblems(body: unknown): string[] {
  switch (valueAt(body, 'msgtype')) {
    case 'text':
      return [...requireFields(body, ['text.content']), ...maxBytes(body, 'text.content', 2048)];
    case 'markdown':
      return [
        ...requireFields(body, ['markdown.content']),
        ...maxBytes(body, 'markdown.content', 4096),
      ];
    default:
      return [];
  }
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: ['https://developer.work.weixin.qq.com/document/path/91770'],
  settings: (baseUrl) => ({ webhookUrl: `${baseUrl}/cgi-bin/webhook/send?key=${KEY}` }),
  secrets: [KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/cgi-bin/webhook/send'),
    ...requireQueryParam(request.query, 'key'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireOneOf(request.json, 'msgtype', MSG_TYPES),
    ...contentProblems(request.json),
  ],
  semantics: (request, sent) => [
    ...(request.query.get('key') === KEY ? [] : ['robot key not passed']),
    ...requireOneOf(request.json, 'msgtype', ['markdown']),
    ...mentionsAlert(valueAt(request.json, 'markdown.content'), sent),
  ],
  accept: () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }),
  documentedExamples: [
    {
      source:
        'https://developer.work.weixin.qq.com/document/path/91770 (消息类型及数据格式: markdown类型)',
      method: 'POST',
      path: '/cgi-bin/webhook/send?key=693axxx6-7aoc-4bc4-97a0-0ec2sifa5aaa',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: {
          content:
            '实时新增用户反馈<font color="warning">132例</font>，请相关同事注意。\n>类型:<font color="comment">用户反馈</font>\n>普通用户反馈:<font color="comment">117例</font>\n>VIP用户反馈:<font color="comment">15例</font>',
        },
      }),
    },
  ],
  errors: [
    {
      answer: {
        status: 200,
        body: { errcode: 93000, errmsg: 'invalid webhook url, hint: [1733367600_1_abc]' },
      },
      retryable: false,
      why: 'errcode 93000 invalid webhook URL',
    },
    {
      answer: { status: 200, body: { errcode: 40008, errmsg: 'invalid message type' } },
      retryable: false,
      why: 'errcode 40008 invalid message type',
    },
    {
      answer: { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } },
      retryable: true,
      why: 'errcode 45009 frequency limit',
    },
    { answer: { status: 502 }, retryable: true, why: 'gateway error' },
  ],
};

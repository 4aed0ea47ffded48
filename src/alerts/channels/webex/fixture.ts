import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  maxBytes,
  mentionsAlert,
  requireBearer,
  requireBearerScheme,
  requireContentType,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';
import type { OutgoingAlert } from '../../types.ts';

// Webex Create a Message (developer.webex.com/docs/api/v1/messages/create-a-message): POST
// /v1/messages, Bearer token, JSON with one destination (roomId, toPersonId or toPersonEmail)
// and text, markdown or files; text and markdown ≤ 7,439 bytes; parentId replies in a thread.

const TOKEN = 'NjY5ZDg0YmQtOWI3Ni00YzQ1LWE2ZWMtYjc5ODNlMGZhMzNkM2E1_PF84_1eb65fdf';
const ROOM_ID = 'Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQtNDNmMS0zYjU4LTkxNDctZjE0YmIwYzRkMTU0';
const DESTINATIONS = ['roomId', 'toPersonId', 'toPersonEmail'];

function messageProblems(body: unknown): string[] {
  const problems = [
    ...requireJsonObject(body),
    ...maxBytes(body, 'text', 7439),
    ...maxBytes(body, 'markdown', 7439),
  ];
  const destinations = DESTINATIONS.filter((field) => valueAt(body, field) !== undefined);
  if (destinations.length !== 1) problems.push('exactly one of roomId, toPersonId, toPersonEmail');
  if (['text', 'markdown', 'files'].every((field) => valueAt(body, field) === undefined))
    problems.push('one of text, markdown or files is required');
  return problems;
}

function replyProblems(body: unknown, sent: OutgoingAlert): string[] {
  const parentId = valueAt(body, 'parentId');
  if (sent.status === 'resolved' && sent.openingRef !== null)
    return parentId === sent.openingRef ? [] : ['a recovery does not reply to the outage message'];
  return parentId === undefined ? [] : ['an opening is posted as a reply'];
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: ['https://developer.webex.com/docs/api/v1/messages/create-a-message'],
  settings: (baseUrl) => ({ token: TOKEN, roomId: ROOM_ID, apiUrl: baseUrl }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/v1/messages'),
    ...requireBearerScheme(request.headers),
    ...requireContentType(request.headers, 'application/json'),
    ...messageProblems(request.json),
  ],
  semantics: (request, sent) => [
    ...requireBearer(request.headers, TOKEN),
    ...(valueAt(request.json, 'roomId') === ROOM_ID ? [] : ['not sent to the configured room']),
    ...mentionsAlert(valueAt(request.json, 'markdown'), sent),
    ...replyProblems(request.json, sent),
  ],
  accept: () => ({
    status: 200,
    body: {
      id: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvOTJkYjNiZTAtNDNiZC0xMWU2LThhZTktZGQ1YjNkZmM1NjVk',
      roomId: ROOM_ID,
      roomType: 'group',
      personEmail: 'crosscheck@webex.bot',
      created: '2026-12-04T03:01:00.000Z',
    },
  }),
  documentedExamples: [
    {
      source:
        'https://developer.webex.com/docs/api/v1/messages/create-a-message (Example: request body)',
      method: 'POST',
      path: '/v1/messages',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer YOUR_ACCESS_TOKEN',
      },
      body: JSON.stringify({
        roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQtNDNmMS0zYjU4LTkxNDctZjE0YmIwYzRkMTU0',
        text: 'PROJECT UPDATE - A new project plan has been published on Box: http://box.com/s/lf5vj. The PM for this project is Mike C. and the Engineering Manager is Jane W.',
        markdown:
          '**PROJECT UPDATE** A new project plan has been published [on Box](http://box.com/s/lf5vj). The PM for this project is <@personEmail:mike@example.com> and the Engineering Manager is <@personEmail:jane@example.com>.',
        files: ['http://www.example.com/images/media.png'],
      }),
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          message: 'The request could not be understood by the server due to malformed syntax.',
          trackingId: 'ROUTER_1',
        },
      },
      retryable: false,
      why: 'malformed request',
    },
    {
      answer: {
        status: 401,
        body: {
          message:
            'The request requires a valid access token set in the Authorization request header.',
        },
      },
      retryable: false,
      why: 'invalid token',
    },
    {
      answer: { status: 403, body: { message: 'The bot is not a member of the room.' } },
      retryable: false,
      why: 'not in the room',
    },
    {
      answer: { status: 404, body: { message: 'The requested resource could not be found.' } },
      retryable: false,
      why: 'unknown room',
    },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
    { answer: { status: 502 }, retryable: true, why: 'bad gateway' },
    { answer: { status: 503 }, retryable: true, why: 'service unavailable' },
  ],
};

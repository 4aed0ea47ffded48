import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  requireBearer,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'syt_Y3Jvc3NjaGVjaw_contractMatrixToken_0001';
const ROOM = '!contractRoom:matrix.test';
const SEND_PATH = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/;
/** The spec's size limit for a whole event; the content alone must stay below it. */
const EVENT_LIMIT_BYTES = 65_536;

/** Which transaction id each delivery used: a retry must reuse it, another delivery must not. */
const transactions = new Map<string, string>();

/** Client-server API "send a message event", as https://spec.matrix.org documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid',
    'https://spec.matrix.org/latest/client-server-api/#using-access-tokens',
    'https://spec.matrix.org/latest/client-server-api/#mtext',
  ],
  settings: (baseUrl) => ({ homeserverUrl: baseUrl, accessToken: TOKEN, roomId: ROOM }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'PUT', SEND_PATH),
    ...roomIdProblems(request),
    ...(String(request.headers['authorization'] ?? '').startsWith('Bearer ')
      ? []
      : ['no access token (Authorization: Bearer)']),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['msgtype', 'body']),
    ...htmlProblems(request.json),
    ...(Buffer.byteLength(request.rawBody, 'utf8') < EVENT_LIMIT_BYTES
      ? []
      : ['event content is over the 65536-byte event limit']),
  ],
  semantics: (request, sent) => {
    const problems = [...requireBearer(request.headers, TOKEN)];
    const match = SEND_PATH.exec(request.path);
    if (match === null) return [...problems, 'not a send request'];
    if (decodeURIComponent(match[1] ?? '') !== ROOM)
      problems.push('room differs from the settings');
    const txnId = match[2] ?? '';
    const before = transactions.get(sent.idempotencyKey);
    if (before !== undefined && before !== txnId)
      problems.push('a retry changed the transaction id');
    for (const [key, used] of transactions)
      if (used === txnId && key !== sent.idempotencyKey)
        problems.push('two deliveries share a txnId');
    transactions.set(sent.idempotencyKey, txnId);
    if (valueAt(request.json, 'msgtype') !== 'm.text') problems.push('msgtype is not m.text');
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!String(valueAt(request.json, 'body')).includes(title))
      problems.push('body lacks the title');
    if (sent.openingRef !== null && !hasReply(request.json))
      problems.push('a closing alert does not reply to the opening event');
    return problems;
  },
  accept: () => ({ status: 200, body: { event_id: '$YUwRidLecu:matrix.test' } }),
  documentedExamples: [
    {
      source:
        'https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid — Request example; Authorization header per "Using access tokens"',
      method: 'PUT',
      path: '/_matrix/client/v3/rooms/%21636q39766251%3Aexample.com/send/m.room.message/35',
      headers: { 'content-type': 'application/json', authorization: 'Bearer TheTokenHere' },
      body: '{"body": "hello", "msgtype": "m.text"}',
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { errcode: 'M_NOT_JSON', error: 'Content not JSON.' } },
      retryable: false,
      why: 'M_NOT_JSON',
    },
    {
      answer: { status: 401, body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' } },
      retryable: false,
      why: 'M_UNKNOWN_TOKEN',
    },
    {
      answer: {
        status: 403,
        body: { errcode: 'M_FORBIDDEN', error: 'User not in room' },
      },
      retryable: false,
      why: 'M_FORBIDDEN (bot not in the room)',
    },
    {
      answer: {
        status: 429,
        body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 2000 },
      },
      retryable: true,
      why: 'M_LIMIT_EXCEEDED (wait in the body)',
    },
    {
      answer: { status: 502, body: 'Bad Gateway' },
      retryable: true,
      why: 'homeserver unavailable',
    },
  ],
};

function roomIdProblems(request: ProviderRequest): string[] {
  const encoded = SEND_PATH.exec(request.path)?.[1];
  if (encoded === undefined) return [];
  return decodeURIComponent(encoded).startsWith('!') ? [] : ['room is not a room id (!…)'];
}

/** An HTML body needs its format and its fallback together (m.text, "Rich replies"). */
function htmlProblems(json: unknown): string[] {
  const format = valueAt(json, 'format');
  const formatted = valueAt(json, 'formatted_body');
  if (format === undefined && formatted === undefined) return [];
  if (format !== 'org.matrix.custom.html') return ['format must be org.matrix.custom.html'];
  return typeof formatted === 'string' ? [] : ['formatted_body is missing'];
}

/** `m.relates_to` has a dot in its name, so it is read directly rather than by path. */
function hasReply(json: unknown): boolean {
  if (json === null || typeof json !== 'object') return false;
  const relation = (json as Record<string, unknown>)['m.relates_to'];
  if (relation === null || typeof relation !== 'object') return false;
  return (relation as Record<string, unknown>)['m.in_reply_to'] !== undefined;
}

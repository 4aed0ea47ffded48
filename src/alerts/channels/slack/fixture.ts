import type {
  DocumentedExample,
  HttpChannelFixture,
  ProviderRequest,
} from '../../testing/channel-fixture.ts';
import {
  maxLength,
  mentionsAlert,
  requireBearer,
  requireBearerScheme,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';
import type { OutgoingAlert } from '../../types.ts';

// Slack's documented protocol: incoming webhooks (docs.slack.dev/messaging/sending-messages-
// using-incoming-webhooks) and chat.postMessage (docs.slack.dev/reference/methods/
// chat.postMessage), with the Block Kit limits (docs.slack.dev/reference/block-kit/blocks).

const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const CHANNEL = 'C0123ABCDEF';
const WEBHOOK_SECRET = 'Q1w2E3r4T5y6U7i8O9p0AsDf';
const WEBHOOK_PATH = /^\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/;

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'image',
  'input',
  'rich_text',
  'file',
  'video',
]);

/** Block Kit's documented limits: 50 blocks, header 150, section text 3000, 10 fields of 2000. */
function blockKitProblems(body: unknown): string[] {
  const problems = [...requireJsonObject(body), ...maxLength(body, 'text', 40_000)];
  const blocks = valueAt(body, 'blocks');
  if (blocks === undefined) {
    return [...problems, ...requireFields(body, ['text'])];
  }
  if (!Array.isArray(blocks)) return [...problems, '"blocks" is not an array'];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks, the limit is 50`);
  blocks.forEach((block: unknown, index) => problems.push(...blockProblems(block, index)));
  return problems;
}

function blockProblems(block: unknown, index: number): string[] {
  const type = valueAt(block, 'type');
  const where = `blocks.${index}`;
  if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) return [`${where} has no known type`];
  if (type === 'header') {
    return [
      ...(valueAt(block, 'text.type') === 'plain_text'
        ? []
        : [`${where} header is not plain_text`]),
      ...maxLength(block, 'text.text', 150).map((p) => `${where}: ${p}`),
    ];
  }
  if (type === 'section') {
    const fields = valueAt(block, 'fields');
    const problems = maxLength(block, 'text.text', 3000).map((p) => `${where}: ${p}`);
    if (valueAt(block, 'text') === undefined && !Array.isArray(fields))
      problems.push(`${where} section has neither text nor fields`);
    if (Array.isArray(fields) && fields.length > 10) problems.push(`${where} has over 10 fields`);
    return problems;
  }
  if (type === 'context') {
    const elements = valueAt(block, 'elements');
    return Array.isArray(elements) && elements.length > 0 && elements.length <= 10
      ? []
      : [`${where} context needs 1 to 10 elements`];
  }
  return [];
}

function fallbackText(request: ProviderRequest): unknown {
  return valueAt(request.json, 'text');
}

function headerText(request: ProviderRequest): unknown {
  return valueAt(request.json, 'blocks.0.text.text');
}

const SLACK_ERRORS: HttpChannelFixture['errors'] = [
  { answer: { status: 500, body: 'rollup_error' }, retryable: true, why: 'Slack server error' },
  { answer: { status: 503 }, retryable: true, why: 'Slack unavailable' },
];

const webhookExample: DocumentedExample = {
  source:
    'https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks/ (Sending messages using incoming webhooks)',
  method: 'POST',
  path: '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  headers: { 'Content-type': 'application/json' },
  body: '{"text":"Hello, world."}',
};

/** The bot-token mode: chat.postMessage with Bearer auth; `ok:false` answers are refusals. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://docs.slack.dev/reference/methods/chat.postMessage/',
    'https://docs.slack.dev/reference/block-kit/blocks/',
  ],
  settings: (baseUrl) => ({ token: BOT_TOKEN, channel: CHANNEL, apiUrl: baseUrl }),
  secrets: [BOT_TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/api/chat.postMessage'),
    ...requireBearerScheme(request.headers),
    ...requireContentType(request.headers, 'application/json'),
    ...requireFields(request.json, ['channel']),
    ...blockKitProblems(request.json),
  ],
  semantics: (request, sent) => [
    ...requireBearer(request.headers, BOT_TOKEN),
    ...(valueAt(request.json, 'channel') === CHANNEL ? [] : ['channel is not the configured one']),
    ...mentionsAlert(headerText(request), sent),
    ...mentionsAlert(fallbackText(request), sent),
    ...threadProblems(request, sent),
  ],
  accept: () => ({
    status: 200,
    body: {
      ok: true,
      channel: CHANNEL,
      ts: '1503435956.000247',
      message: { type: 'message', subtype: 'bot_message', ts: '1503435956.000247' },
    },
  }),
  documentedExamples: [
    {
      source:
        'https://docs.slack.dev/reference/methods/chat.postMessage/ (arguments: channel, text, blocks examples)',
      method: 'POST',
      path: '/api/chat.postMessage',
      headers: {
        'Content-type': 'application/json',
        Authorization: 'Bearer xxxx-xxxxxxxxx-xxxx',
      },
      body: '{"channel":"C1234567890","text":"Hello world","blocks":[{"type":"section","text":{"type":"plain_text","text":"Hello world"}}]}',
    },
  ],
  errors: [
    {
      answer: { status: 200, body: { ok: false, error: 'channel_not_found' } },
      retryable: false,
      why: 'ok:false channel_not_found',
    },
    {
      answer: { status: 200, body: { ok: false, error: 'invalid_auth' } },
      retryable: false,
      why: 'ok:false invalid_auth',
    },
    {
      answer: { status: 200, body: { ok: false, error: 'internal_error' } },
      retryable: true,
      why: 'ok:false internal_error (documented as transient)',
    },
    ...SLACK_ERRORS,
  ],
};

/** Recoveries go into the outage message's thread, named by the opening's `ts`. */
function threadProblems(request: ProviderRequest, sent: OutgoingAlert): string[] {
  const threadTs = valueAt(request.json, 'thread_ts');
  if (sent.status === 'resolved' && sent.openingRef !== null) {
    return threadTs === sent.openingRef ? [] : ['a recovery is not posted in the outage thread'];
  }
  return threadTs === undefined ? [] : ['an opening is posted into a thread'];
}

/** The incoming-webhook mode: the URL is the credential; Slack answers `ok` as text. */
export const webhookFixture: HttpChannelFixture = {
  kind: 'http',
  docs: ['https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks/'],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/services/T0AB12CD3/B0EF45GH6/${WEBHOOK_SECRET}`,
  }),
  secrets: [WEBHOOK_SECRET],
  protocol: (request) => [
    ...requireRoute(request, 'POST', WEBHOOK_PATH),
    ...requireContentType(request.headers, 'application/json'),
    ...blockKitProblems(request.json),
  ],
  semantics: (request, sent) => [
    ...mentionsAlert(headerText(request), sent),
    ...mentionsAlert(fallbackText(request), sent),
  ],
  accept: () => ({ status: 200, body: 'ok', headers: { 'content-type': 'text/html' } }),
  documentedExamples: [webhookExample],
  errors: [
    { answer: { status: 400, body: 'invalid_payload' }, retryable: false, why: 'invalid_payload' },
    { answer: { status: 403, body: 'invalid_token' }, retryable: false, why: 'invalid_token' },
    { answer: { status: 404, body: 'no_service' }, retryable: false, why: 'webhook removed' },
    {
      answer: { status: 410, body: 'channel_is_archived' },
      retryable: false,
      why: 'channel archived',
    },
    ...SLACK_ERRORS,
  ],
};

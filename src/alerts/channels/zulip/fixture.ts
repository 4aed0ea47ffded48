import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxBytes,
  maxLength,
  mentionsAlert,
  requireBasicAuth,
  requireContentType,
  requireRoute,
} from '../../testing/protocol-checks.ts';
import type { OutgoingAlert } from '../../types.ts';

// Zulip's documented Send a message endpoint (zulip.com/api/send-message): POST
// /api/v1/messages, form-encoded, HTTP Basic with the bot's email and API key
// (zulip.com/api/http-headers); content ≤ 10,000 bytes, topic ≤ 60 characters.

const BOT_EMAIL = 'crosscheck-bot@chat.example.org';
const API_KEY = 'gU7pV2wX9yZ4aB1cD6eF3gH8iJ5kL0mN';
const STREAM = 'ops alerts';
const TYPES = ['stream', 'channel', 'private', 'direct'];

function formProblems(request: ProviderRequest): string[] {
  const form = request.form;
  if (form === undefined) return ['body is not form-encoded'];
  const problems: string[] = [];
  const type = form.get('type');
  if (type === null || !TYPES.includes(type)) problems.push(`type is ${String(type)}`);
  if (!form.get('to')) problems.push('"to" is missing');
  const content = form.get('content');
  if (!content) problems.push('"content" is missing');
  const fields = Object.fromEntries(form.entries());
  problems.push(...maxBytes(fields, 'content', 10_000));
  if (type === 'stream' || type === 'channel') {
    const topic = form.get('topic') ?? form.get('subject');
    if (topic === null) problems.push('a channel message needs a topic');
    problems.push(...maxLength({ topic }, 'topic', 60));
  }
  return problems;
}

function basicScheme(request: ProviderRequest): string[] {
  return /^Basic [A-Za-z0-9+/]+=*$/.test(String(request.headers['authorization'] ?? ''))
    ? []
    : ['authorization is not HTTP Basic'];
}

function expectedTopic(sent: OutgoingAlert): string {
  return 'monitor' in sent.event ? sent.event.monitor.name : `node ${sent.event.node.name}`;
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: ['https://zulip.com/api/send-message', 'https://zulip.com/api/http-headers'],
  settings: (baseUrl) => ({
    serverUrl: baseUrl,
    botEmail: BOT_EMAIL,
    apiKey: API_KEY,
    stream: STREAM,
  }),
  secrets: [API_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/api/v1/messages'),
    ...basicScheme(request),
    ...requireContentType(request.headers, 'application/x-www-form-urlencoded'),
    ...formProblems(request),
  ],
  semantics: (request, sent) => [
    ...requireBasicAuth(request.headers, BOT_EMAIL, API_KEY),
    ...(request.form?.get('to') === STREAM ? [] : ['not sent to the configured stream']),
    ...(request.form?.get('topic') === expectedTopic(sent)
      ? []
      : ['the topic is not the monitor’s (or node’s)']),
    ...mentionsAlert(request.form?.get('content') ?? undefined, sent),
  ],
  accept: () => ({ status: 200, body: { id: 42, msg: '', result: 'success' } }),
  documentedExamples: [
    {
      source: 'https://zulip.com/api/send-message (Usage examples: curl, channel message)',
      method: 'POST',
      path: '/api/v1/messages',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('BOT_EMAIL_ADDRESS:BOT_API_KEY').toString('base64')}`,
      },
      body: new URLSearchParams({
        type: 'stream',
        to: '"Denmark"',
        topic: 'Castle',
        content: 'I come not, friends, to steal away your hearts.',
      }).toString(),
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          code: 'STREAM_DOES_NOT_EXIST',
          msg: "Channel 'nonexistent' does not exist",
          result: 'error',
          stream: 'nonexistent',
        },
      },
      retryable: false,
      why: 'unknown channel',
    },
    {
      answer: {
        status: 401,
        body: { code: 'UNAUTHORIZED', msg: 'Invalid API key', result: 'error' },
      },
      retryable: false,
      why: 'invalid API key',
    },
    { answer: { status: 502 }, retryable: true, why: 'server unavailable' },
  ],
};

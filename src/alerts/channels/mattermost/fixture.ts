import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  mentionsAlert,
  requireContentType,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// Mattermost incoming webhooks (developers.mattermost.com/integrate/webhooks/incoming/):
// POST /hooks/<key>, JSON with `text` and/or Slack-style `attachments`
// (…/integrate/reference/message-attachments/); posts are limited to 16,383 characters.

const HOOK_KEY = 'k7d3x9p2qm8fj4ty6wz1ab5ceh';

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://developers.mattermost.com/integrate/webhooks/incoming/',
    'https://developers.mattermost.com/integrate/reference/message-attachments/',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/hooks/${HOOK_KEY}`,
    username: 'crosscheck',
  }),
  secrets: [HOOK_KEY],
  protocol: (request) => {
    const problems = [
      ...requireRoute(request, 'POST', /^\/hooks\/[A-Za-z0-9-]+$/),
      ...requireContentType(request.headers, 'application/json'),
      ...requireJsonObject(request.json),
      ...maxLength(request.json, 'text', 16_383),
    ];
    const text = valueAt(request.json, 'text');
    const attachments = valueAt(request.json, 'attachments');
    const hasText = typeof text === 'string' && text !== '';
    if (!hasText && !(Array.isArray(attachments) && attachments.length > 0))
      problems.push('neither text nor attachments: "No text specified"');
    if (attachments !== undefined && !Array.isArray(attachments))
      problems.push('attachments is not an array');
    if (Array.isArray(attachments)) {
      attachments.forEach((attachment: unknown, index) => {
        problems.push(
          ...maxLength(attachment, 'text', 16_383).map((p) => `attachments.${index}: ${p}`),
        );
      });
    }
    return problems;
  },
  semantics: (request, sent) => [
    ...mentionsAlert(valueAt(request.json, 'text'), sent),
    ...(valueAt(request.json, 'username') === 'crosscheck' ? [] : ['username not passed']),
  ],
  accept: () => ({ status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } }),
  documentedExamples: [
    {
      source:
        'https://developers.mattermost.com/integrate/webhooks/incoming/ (Use an incoming webhook)',
      method: 'POST',
      path: '/hooks/xxx-generatedkey-xxx',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text": "Hello, this is some text\\nThis is more text. :tada:"}',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          id: 'web.incoming_webhook.text.app_error',
          message: 'No text specified.',
          status_code: 400,
        },
      },
      retryable: false,
      why: 'invalid payload',
    },
    {
      answer: {
        status: 403,
        body: {
          id: 'web.incoming_webhook.channel_locked.app_error',
          message: 'This webhook is not permitted to post to the requested channel.',
          status_code: 403,
        },
      },
      retryable: false,
      why: 'channel locked',
    },
    {
      answer: {
        status: 404,
        body: { id: 'web.incoming_webhook.invalid.app_error', status_code: 404 },
      },
      retryable: false,
      why: 'webhook deleted',
    },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
    { answer: { status: 503 }, retryable: true, why: 'server unavailable' },
  ],
};

import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  requireBearer,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

const API_KEY = 'SG.contract-key-0001.abcdefghijklmnop';
const DOCS = 'https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send';

/** Every personalization has recipients, and a subject unless the message has one. */
function personalizationProblems(body: unknown): string[] {
  const list = valueAt(body, 'personalizations');
  if (!Array.isArray(list) || list.length === 0 || list.length > 1000) {
    return ['personalizations must hold 1 to 1000 entries'];
  }
  const topSubject = valueAt(body, 'subject');
  return list.flatMap((entry: unknown, index) => {
    const to = valueAt(entry, 'to');
    const problems: string[] = [];
    if (!Array.isArray(to) || to.length === 0)
      problems.push(`personalizations.${index}.to is empty`);
    if (typeof topSubject !== 'string' && typeof valueAt(entry, 'subject') !== 'string') {
      problems.push(`personalizations.${index} has no subject`);
    }
    return problems;
  });
}

/** content: at least one part; text/plain, when present, must come first. */
function contentProblems(body: unknown): string[] {
  const content = valueAt(body, 'content');
  if (!Array.isArray(content) || content.length === 0) return ['content is missing'];
  const types = content.map((part: unknown) => valueAt(part, 'type'));
  const plain = types.indexOf('text/plain');
  return plain > 0 ? ['text/plain must be the first content part'] : [];
}

function text(request: ProviderRequest, type: string): string {
  const content: unknown = valueAt(request.json, 'content');
  const parts: unknown[] = Array.isArray(content) ? content : [];
  const value = valueAt(
    parts.find((p) => valueAt(p, 'type') === type),
    'value',
  );
  return typeof value === 'string' ? value : '';
}

/** SendGrid v3 Mail Send. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({
    apiUrl: baseUrl,
    apiKey: API_KEY,
    from: 'alerts@example.test',
    fromName: 'Crosscheck',
    to: ['ops@example.test', 'oncall@example.test'],
  }),
  secrets: [API_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/v3/mail/send'),
    ...requireBearer(request.headers, API_KEY),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['from.email']),
    ...personalizationProblems(request.json),
    ...contentProblems(request.json),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    const subject = String(valueAt(request.json, 'subject'));
    if (!subject.includes(sent.message.title.slice(0, 40)))
      problems.push('subject lacks the title');
    if (!text(request, 'text/plain').includes(sent.message.text.slice(0, 100)))
      problems.push('text part lacks the summary');
    if (!text(request, 'text/html').includes('<h2>')) problems.push('no HTML part');
    const to = valueAt(request.json, 'personalizations.0.to');
    if (!Array.isArray(to) || to.length !== 2) problems.push('recipients differ');
    return problems;
  },
  accept: () => ({ status: 202, headers: { 'x-message-id': 'W86EgYT6SQKk0lRflfLRsA' } }),
  documentedExamples: [
    {
      source: `${DOCS} (example request body)`,
      method: 'POST',
      path: '/v3/mail/send',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: '{"personalizations":[{"to":[{"email":"john_doe@example.com","name":"John Doe"}],"subject":"Hello, World!"}],"content":[{"type":"text/plain","value":"Heya!"}],"from":{"email":"sam.smith@example.com","name":"Sam Smith"},"reply_to":{"email":"sam.smith@example.com","name":"Sam Smith"}}',
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { errors: [{ message: 'Bad Request' }] } },
      retryable: false,
      why: 'invalid payload',
    },
    {
      answer: { status: 401, body: { errors: [{ message: 'Unauthorized' }] } },
      retryable: false,
      why: 'bad API key',
    },
    {
      answer: { status: 403, body: { errors: [{ message: 'Forbidden' }] } },
      retryable: false,
      why: 'sender not verified',
    },
    {
      answer: { status: 413, body: { errors: [{ message: 'Payload Too Large' }] } },
      retryable: false,
      why: 'payload too large',
    },
    {
      answer: { status: 500, body: { errors: [{ message: 'Internal Server Error' }] } },
      retryable: true,
      why: 'server error',
    },
  ],
};

import { createHmac } from 'node:crypto';
import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireFields,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

const SECRET = 'whsec-contract-signing-key-0001';
const HEADER_TOKEN = 'Bearer hdr-contract-token-0002';

/** Crosscheck's own webhook protocol, as docs/alerts/webhook.md documents it to receivers. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: ['https://www.rfc-editor.org/rfc/rfc2104'],
  settings: (baseUrl) => ({
    url: `${baseUrl}/hooks/crosscheck`,
    secret: SECRET,
    headers: { Authorization: HEADER_TOKEN },
  }),
  secrets: [SECRET, HEADER_TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/hooks/crosscheck'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['kind', 'idempotencyKey', 'message', 'occurredAt']),
    ...signatureProblems(request),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (valueAt(request.json, 'kind') !== sent.event.kind)
      problems.push('kind differs from the event');
    if (request.headers['x-crosscheck-event'] !== sent.event.kind)
      problems.push('X-Crosscheck-Event differs');
    if (request.headers['x-crosscheck-idempotency-key'] !== sent.event.idempotencyKey)
      problems.push('idempotency key differs');
    if (request.headers['authorization'] !== HEADER_TOKEN) problems.push('custom header missing');
    return problems;
  },
  documentedExamples: [
    {
      source: 'docs/alerts/webhook.md#the-request (verifying a signature)',
      method: 'POST',
      path: '/hooks/crosscheck',
      headers: {
        'content-type': 'application/json',
        'x-crosscheck-timestamp': '1767225600',
        'x-crosscheck-signature': sign(
          '1767225600',
          '{"kind":"down","idempotencyKey":"m:i:down","message":"Down","occurredAt":1767225600000}',
        ),
      },
      body: '{"kind":"down","idempotencyKey":"m:i:down","message":"Down","occurredAt":1767225600000}',
    },
  ],
  errors: [
    { answer: { status: 500, body: 'oops' }, retryable: true, why: 'receiver error' },
    { answer: { status: 404 }, retryable: false, why: 'wrong URL' },
    {
      answer: { status: 302, headers: { location: 'https://elsewhere.test/x?token=abc' } },
      retryable: false,
      why: 'redirect not followed',
    },
  ],
};

function sign(timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
}

function signatureProblems(request: ProviderRequest): string[] {
  const timestamp = request.headers['x-crosscheck-timestamp'];
  const signature = request.headers['x-crosscheck-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string')
    return ['signature headers missing'];
  return signature === sign(timestamp, request.rawBody) ? [] : ['signature does not verify'];
}

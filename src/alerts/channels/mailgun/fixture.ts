import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireBasicAuth,
  requireContentType,
  requireRoute,
} from '../../testing/protocol-checks.ts';

const API_KEY = 'key-contract-0001-abcdefghijklmnop';
const DOCS =
  'https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/messages/post-v3--domain-name--messages';
const ROUTE = '/v3/mg.example.test/messages';

/** Mailgun POST /v3/{domain_name}/messages (form data, Basic auth as user "api"). */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({
    apiUrl: baseUrl,
    domain: 'mg.example.test',
    apiKey: API_KEY,
    from: 'alerts@mg.example.test',
    fromName: 'Crosscheck',
    to: ['ops@example.test', 'oncall@example.test'],
  }),
  secrets: [API_KEY],
  protocol: (request) => {
    const form = request.form;
    const problems = [
      ...requireRoute(request, 'POST', ROUTE),
      ...requireBasicAuth(request.headers, 'api', API_KEY),
      ...requireContentType(request.headers, 'application/x-www-form-urlencoded'),
    ];
    if (form === undefined) return [...problems, 'body is not form data'];
    for (const field of ['from', 'to']) {
      if (!form.get(field)) problems.push(`required field "${field}" is missing`);
    }
    if (!form.get('text') && !form.get('html') && !form.get('template')) {
      problems.push('one of text, html or template is required');
    }
    return problems;
  },
  semantics: (request, sent) => {
    const form = request.form ?? new URLSearchParams();
    const problems: string[] = [];
    if (!(form.get('subject') ?? '').includes(sent.message.title.slice(0, 40)))
      problems.push('subject lacks the title');
    if (!(form.get('text') ?? '').includes(sent.message.text.slice(0, 100)))
      problems.push('text lacks the summary');
    if (!(form.get('html') ?? '').includes('<h2>')) problems.push('no HTML part');
    if (form.getAll('to').length !== 2) problems.push('recipients differ');
    if (sent.status === 'resolved' && sent.openingRef !== null) {
      if (form.get('h:In-Reply-To') !== sent.openingRef)
        problems.push('does not reply to the opening');
    }
    return problems;
  },
  accept: (request) => ({
    status: 200,
    body: {
      id: request.form?.get('h:Message-Id') ?? '<20111114174239.25659.5817@samples.mailgun.org>',
      message: 'Queued. Thank you.',
    },
  }),
  documentedExamples: [
    {
      source: `${DOCS} (curl example; the API takes the same fields url-encoded)`,
      method: 'POST',
      path: ROUTE,
      headers: {
        Authorization: `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([
        ['from', 'Excited User <mailgun@mg.example.test>'],
        ['to', 'YOU@mg.example.test'],
        ['to', 'bar@example.com'],
        ['subject', 'Hello'],
        ['text', 'Testing some Mailgun awesomeness!'],
      ]).toString(),
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { message: "'from' parameter is missing" } },
      retryable: false,
      why: 'bad request',
    },
    { answer: { status: 401, body: 'Forbidden' }, retryable: false, why: 'bad API key' },
    {
      answer: { status: 404, body: { message: 'Domain not found' } },
      retryable: false,
      why: 'unknown domain',
    },
    {
      answer: { status: 500, body: { message: 'Internal error' } },
      retryable: true,
      why: 'server error',
    },
  ],
};

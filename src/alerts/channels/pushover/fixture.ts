import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import { requireRoute } from '../../testing/protocol-checks.ts';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyU1';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRs1';

/** POST /1/messages.json, as https://pushover.net/api documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://pushover.net/api',
    'https://pushover.net/api#priority',
    'https://pushover.net/api#limits',
  ],
  settings: (baseUrl) => ({ apiUrl: baseUrl, token: TOKEN, user: USER }),
  secrets: [TOKEN, USER],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/1/messages.json'),
    ...paramProblems(params(request)),
  ],
  semantics: (request, sent) => {
    const fields = params(request);
    const problems: string[] = [];
    if (fields.get('token') !== TOKEN || fields.get('user') !== USER)
      problems.push('token or user differs');
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!(fields.get('title') ?? '').includes(title)) problems.push('title lacks the alert title');
    const expected = { critical: '1', warning: '0', info: '-1', ok: '0' }[sent.message.severity];
    if (fields.get('priority') !== expected)
      problems.push(`priority ${fields.get('priority')} for a ${sent.message.severity} alert`);
    return problems;
  },
  accept: () => ({
    status: 200,
    body: { status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' },
  }),
  documentedExamples: [
    {
      source:
        'https://pushover.net/api — "Your First Message" example request (form-encoded POST to /1/messages.json)',
      method: 'POST',
      path: '/1/messages.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=azGDORePK8gMaC0QOYAMyEEuzJnyUi&user=uQiRzpo4DXghDmr9QzzfQu27cmVRsG&device=droid4&title=Backup+finished+-+SQL1&message=Backup+of+database+%22example%22+finished+in+16+minutes.',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          user: 'invalid',
          errors: ['user identifier is invalid'],
          status: 0,
          request: '5042853c-402d-4a18-abcb-168734a801de',
        },
      },
      retryable: false,
      why: 'invalid user key',
    },
    {
      answer: {
        status: 400,
        body: { token: 'invalid', errors: ['application token is invalid'], status: 0 },
      },
      retryable: false,
      why: 'invalid application token',
    },
    {
      answer: { status: 200, body: { status: 0, errors: ['message cannot be blank'] } },
      retryable: false,
      why: 'status:0 in a 2xx answer',
    },
    {
      answer: { status: 429, body: { status: 0, errors: ['application over monthly limit'] } },
      retryable: true,
      why: 'over the message limit',
    },
    {
      answer: { status: 500, body: 'Internal Server Error' },
      retryable: true,
      why: 'server error (retry after 5 s or more)',
    },
  ],
};

/** Parameters may be form-encoded or JSON. */
function params(request: { form: URLSearchParams | undefined; json: unknown }): URLSearchParams {
  if (request.form !== undefined) return request.form;
  if (request.json !== null && typeof request.json === 'object') {
    return new URLSearchParams(
      Object.entries(request.json).map(([name, value]): [string, string] => [
        name,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
  }
  return new URLSearchParams();
}

function paramProblems(fields: URLSearchParams): string[] {
  const problems: string[] = [];
  for (const name of ['token', 'user', 'message'])
    if (!fields.get(name)) problems.push(`${name} is required`);
  const limits: [string, number][] = [
    ['message', 1024],
    ['title', 250],
    ['url', 512],
    ['url_title', 100],
  ];
  for (const [name, limit] of limits) {
    const length = Array.from(fields.get(name) ?? '').length;
    if (length > limit) problems.push(`${name} is ${length} characters, the limit is ${limit}`);
  }
  const priority = fields.get('priority');
  if (priority !== null && !['-2', '-1', '0', '1', '2'].includes(priority))
    problems.push(`priority ${priority} is not -2..2`);
  if (priority === '2' && (!fields.get('retry') || !fields.get('expire')))
    problems.push('emergency priority needs retry and expire');
  return problems;
}

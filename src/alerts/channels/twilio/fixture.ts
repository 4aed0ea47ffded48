import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  requireBasicAuth,
  requireContentType,
  requireRoute,
} from '../../testing/protocol-checks.ts';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-contract-auth-token-0001';
const FROM = '+14155550100';
const TO = '+14155550199';
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC\w{32})\/Messages\.json$/;

/** Create a Message resource, as https://www.twilio.com/docs/messaging/api/message-resource documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource',
    'https://www.twilio.com/docs/usage/requests-to-twilio',
  ],
  settings: (baseUrl) => ({
    apiUrl: baseUrl,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM,
    to: TO,
  }),
  secrets: [AUTH_TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', MESSAGES_PATH),
    ...requireContentType(request.headers, 'application/x-www-form-urlencoded'),
    ...basicAuthProblems(request),
    ...formProblems(request.form),
  ],
  semantics: (request, sent) => {
    const problems = [...requireBasicAuth(request.headers, ACCOUNT_SID, AUTH_TOKEN)];
    if (request.form?.get('To') !== TO) problems.push('To differs');
    if (request.form?.get('From') !== FROM) problems.push('From differs');
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!(request.form?.get('Body') ?? '').includes(title)) problems.push('Body lacks the title');
    return problems;
  },
  accept: (request) => ({
    status: 201,
    body: {
      sid: 'SM1234567890abcdef1234567890abcdef',
      account_sid: ACCOUNT_SID,
      to: request.form?.get('To'),
      from: request.form?.get('From'),
      body: request.form?.get('Body'),
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      error_code: null,
      error_message: null,
    },
  }),
  documentedExamples: [
    {
      source:
        'https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource — curl example (--data-urlencode To/From/Body, -u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN)',
      method: 'POST',
      path: '/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:your_auth_token').toString('base64')}`,
      },
      body: 'To=%2B15558675310&From=%2B15557122661&Body=Hi+there',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          code: 21211,
          message: "The 'To' number +1555 is not a valid phone number.",
          status: 400,
        },
      },
      retryable: false,
      why: 'invalid To number (21211)',
    },
    {
      answer: { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } },
      retryable: false,
      why: 'wrong credentials (20003)',
    },
    {
      answer: {
        status: 404,
        body: { code: 20404, message: 'The requested resource was not found', status: 404 },
      },
      retryable: false,
      why: 'unknown account (20404)',
    },
    {
      answer: { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } },
      retryable: true,
      why: 'too many requests (20429)',
    },
    {
      answer: { status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } },
      retryable: true,
      why: 'service unavailable',
    },
  ],
};

/** HTTP Basic with the Account SID (or an API key SID) as the user name. */
function basicAuthProblems(request: ProviderRequest): string[] {
  const header = String(request.headers['authorization'] ?? '');
  if (!header.startsWith('Basic ')) return ['no HTTP Basic authentication'];
  const [user = '', password = ''] = Buffer.from(header.slice(6), 'base64')
    .toString('utf8')
    .split(':');
  const problems: string[] = [];
  if (!/^(AC|SK)\w{32}$/.test(user))
    problems.push('Basic user is not an Account SID or API key SID');
  if (password === '') problems.push('Basic password (auth token) is empty');
  return problems;
}

/** To, a sender (From or MessagingServiceSid) and content (Body, MediaUrl or ContentSid). */
function formProblems(form: URLSearchParams | undefined): string[] {
  if (form === undefined) return ['body is not form-encoded'];
  const problems: string[] = [];
  if (!form.get('To')) problems.push('To is required');
  if (!form.get('From') && !form.get('MessagingServiceSid'))
    problems.push('From or MessagingServiceSid is required');
  if (!form.get('Body') && !form.get('MediaUrl') && !form.get('ContentSid'))
    problems.push('Body is required');
  const length = Array.from(form.get('Body') ?? '').length;
  if (length > 1600) problems.push(`Body is ${length} characters, the limit is 1600`);
  return problems;
}

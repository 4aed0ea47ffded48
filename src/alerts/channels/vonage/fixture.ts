import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import { requireContentType, requireRoute } from '../../testing/protocol-checks.ts';

const API_KEY = 'abcd1234';
const API_SECRET = 'vonageContractSecret01';
const FROM = 'Crosscheck';
const TO = '447700900000';

/** Send an SMS (POST /sms/json), as https://developer.vonage.com/en/api/sms documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://developer.vonage.com/en/api/sms',
    'https://developer.vonage.com/en/messaging/sms/guides/troubleshooting-sms',
  ],
  settings: (baseUrl) => ({
    apiUrl: baseUrl,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    from: FROM,
    to: TO,
  }),
  secrets: [API_SECRET],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/sms/json'),
    ...requireContentType(request.headers, 'application/x-www-form-urlencoded'),
    ...formProblems(request.form),
  ],
  semantics: (request, sent) => {
    const form = request.form;
    const problems: string[] = [];
    if (form?.get('api_key') !== API_KEY || form.get('api_secret') !== API_SECRET)
      problems.push('credentials differ');
    if (form?.get('from') !== FROM) problems.push('from differs');
    if (form?.get('to') !== TO) problems.push('to differs');
    const text = form?.get('text') ?? '';
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!text.includes(title)) problems.push('text lacks the title');
    if (
      /[^\x20-\x7E\n\r£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà€]/.test(text) &&
      form?.get('type') !== 'unicode'
    )
      problems.push('non-GSM text sent without type=unicode');
    return problems;
  },
  accept: (request) => ({
    status: 200,
    body: {
      'message-count': '1',
      messages: [
        {
          to: request.form?.get('to'),
          'message-id': '0A0000000123ABCD1',
          status: '0',
          'remaining-balance': '3.14159265',
          'message-price': '0.03330000',
          network: '12345',
        },
      ],
    },
  }),
  documentedExamples: [
    {
      source:
        'https://developer.vonage.com/en/api/sms — "Send an SMS": application/x-www-form-urlencoded body with the reference\'s example values',
      method: 'POST',
      path: '/sms/json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'api_key=abcd1234&api_secret=abcdef0123456789&from=AcmeInc&to=447700900000&text=Hello+World%21',
    },
  ],
  errors: [
    {
      answer: {
        status: 200,
        body: {
          'message-count': '1',
          messages: [{ status: '4', 'error-text': 'Bad Credentials' }],
        },
      },
      retryable: false,
      why: 'status 4 Invalid Credentials in a 200',
    },
    {
      answer: {
        status: 200,
        body: {
          'message-count': '1',
          messages: [
            {
              status: '1',
              'error-text': 'Throughput Rate Exceeded - please wait [ 30 ] and retry',
            },
          ],
        },
      },
      retryable: true,
      why: 'status 1 Throttled in a 200',
    },
    {
      answer: {
        status: 200,
        body: {
          'message-count': '1',
          messages: [{ status: '9', 'error-text': 'Partner quota violation, include more funds' }],
        },
      },
      retryable: false,
      why: 'status 9 Partner Quota Violation in a 200',
    },
    {
      answer: {
        status: 200,
        body: { 'message-count': '1', messages: [{ status: '5', 'error-text': 'Internal Error' }] },
      },
      retryable: true,
      why: 'status 5 Internal Error in a 200',
    },
    {
      answer: {
        status: 401,
        body: {
          type: 'https://developer.vonage.com/api-errors#unauthorized',
          title: 'Unauthorized',
        },
      },
      retryable: false,
      why: 'unauthorized',
    },
    {
      answer: { status: 500, body: 'Internal Server Error' },
      retryable: true,
      why: 'server error',
    },
  ],
};

/** api_key (8 characters), api_secret (6-32) or sig, from, to (7-15 digits) and text. */
function formProblems(form: URLSearchParams | undefined): string[] {
  if (form === undefined) return ['body is not form-encoded'];
  const problems: string[] = [];
  if ((form.get('api_key') ?? '').length !== 8) problems.push('api_key must be 8 characters');
  const secret = form.get('api_secret');
  if (secret === null && form.get('sig') === null) problems.push('api_secret or sig is required');
  if (secret !== null && (secret.length < 6 || secret.length > 32))
    problems.push('api_secret must be 6-32 characters');
  if (!form.get('from')) problems.push('from is required');
  if (!/^\d{7,15}$/.test(form.get('to') ?? ''))
    problems.push('to must be 7-15 digits (E.164 without +)');
  if (!form.get('text')) problems.push('text is required');
  const type = form.get('type');
  if (type !== null && !['text', 'binary', 'wappush', 'unicode', 'vcal', 'vcard'].includes(type))
    problems.push(`type "${type}" is not documented`);
  return problems;
}

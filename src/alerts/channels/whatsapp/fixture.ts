import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  requireBearer,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireOneOf,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'EAAJBcontractWhatsappAccessToken0001';
const PHONE_NUMBER_ID = '106540352242922';
const TO = '+16505551234';

/** Cloud API POST /<PHONE_NUMBER_ID>/messages (text messages), as Meta documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages',
    'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes',
  ],
  settings: (baseUrl) => ({
    apiUrl: baseUrl,
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: TOKEN,
    to: TO,
  }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', /^\/v\d+\.\d+\/\d+\/messages$/),
    ...(String(request.headers['authorization'] ?? '').startsWith('Bearer ')
      ? []
      : ['no access token (Authorization: Bearer)']),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['messaging_product', 'to', 'type']),
    ...requireOneOf(request.json, 'messaging_product', ['whatsapp']),
    ...(valueAt(request.json, 'type') === 'text'
      ? [
          ...requireFields(request.json, ['text.body']),
          ...maxLength(request.json, 'text.body', 4096),
        ]
      : []),
  ],
  semantics: (request, sent) => {
    const problems = [...requireBearer(request.headers, TOKEN)];
    if (!request.path.endsWith(`/${PHONE_NUMBER_ID}/messages`))
      problems.push('phone number id differs');
    if (valueAt(request.json, 'to') !== TO) problems.push('recipient differs');
    if (valueAt(request.json, 'type') !== 'text') problems.push('not a text message');
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!stringAt(request.json, 'text.body').includes(title)) problems.push('body lacks the title');
    return problems;
  },
  accept: () => ({
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: TO, wa_id: '16505551234' }],
      messages: [{ id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA' }],
    },
  }),
  documentedExamples: [
    {
      source:
        'https://developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages — "Example Request"',
      method: 'POST',
      path: '/v19.0/106540352242922/messages',
      headers: { 'content-type': 'application/json', authorization: 'Bearer EAAJB...' },
      body: `{
  "messaging_product": "whatsapp",
  "recipient_type": "individual",
  "to": "+16505551234",
  "type": "text",
  "text": {
    "preview_url": true,
    "body": "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/"
  }
}`,
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } },
      },
      retryable: false,
      why: 'invalid parameter',
    },
    {
      answer: {
        status: 400,
        body: {
          error: {
            message:
              'Message failed to send because more than 24 hours have passed since the customer last replied',
            code: 131047,
          },
        },
      },
      retryable: false,
      why: 're-engagement window closed (131047)',
    },
    {
      answer: {
        status: 400,
        body: { error: { message: '(#130429) Rate limit hit', code: 130429 } },
      },
      retryable: true,
      why: 'throughput limit (130429, sent as 400)',
    },
    {
      answer: {
        status: 401,
        body: {
          error: { message: 'Error validating access token', type: 'OAuthException', code: 190 },
        },
      },
      retryable: false,
      why: 'expired access token (190)',
    },
    {
      answer: { status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } },
      retryable: true,
      why: 'Graph API error',
    },
  ],
};

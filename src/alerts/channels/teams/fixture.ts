import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  mentionsAlert,
  requireContentType,
  requireFields,
  requireJsonObject,
  requireOneOf,
  requireQueryParam,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// What a Teams Workflows webhook accepts: the Incoming Webhook envelope with an Adaptive Card
// attachment (learn.microsoft.com/…/connectors-using#send-adaptive-cards-using-an-incoming-
// webhook), posted to the workflow's HTTP trigger URL, signed by its `sig` query value;
// messages are limited to 28 KB.

const SIGNATURE = 'Xw3kQ9vLp2sT7uY1zA5bC8dE0fG4hJ6kM9nP2qR5sT8';
const TRIGGER_PATH =
  /^(\/powerautomate\/automations\/direct)?\/workflows\/[0-9a-f]+\/triggers\/manual\/paths\/invoke$/;
const MESSAGE_BYTES = 28 * 1024;

function cardProblems(body: unknown): string[] {
  const problems = [
    ...requireJsonObject(body),
    ...requireOneOf(body, 'type', ['message']),
    ...requireOneOf(body, 'attachments.0.contentType', ['application/vnd.microsoft.card.adaptive']),
    ...requireOneOf(body, 'attachments.0.content.type', ['AdaptiveCard']),
    ...requireFields(body, ['attachments.0.content.version']),
  ];
  const elements = valueAt(body, 'attachments.0.content.body');
  if (!Array.isArray(elements) || elements.length === 0) problems.push('the card has no body');
  else {
    elements.forEach((element: unknown, index) => {
      if (typeof valueAt(element, 'type') !== 'string')
        problems.push(`card body element ${index} has no type`);
    });
  }
  return problems;
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook',
    'https://support.microsoft.com/en-us/office/create-incoming-webhooks-with-workflows-for-microsoft-teams-8ae491c7-0394-4861-ba59-055e33f75498',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/workflows/5f1c6b3a9d2e4f7a8b0c1d2e3f4a5b6c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIGNATURE}`,
  }),
  secrets: [SIGNATURE],
  protocol: (request) => {
    const problems = [
      ...requireRoute(request, 'POST', TRIGGER_PATH),
      ...requireQueryParam(request.query, 'api-version'),
      ...requireQueryParam(request.query, 'sig'),
      ...requireContentType(request.headers, 'application/json'),
      ...cardProblems(request.json),
    ];
    const size = Buffer.byteLength(request.rawBody, 'utf8');
    if (size > MESSAGE_BYTES) problems.push(`message is ${size} bytes, the limit is 28 KB`);
    return problems;
  },
  semantics: (request, sent) => [
    ...mentionsAlert(valueAt(request.json, 'attachments.0.content.body.0.text'), sent),
    ...(request.query.get('sig') === SIGNATURE ? [] : ['the workflow signature is not passed']),
  ],
  // A Workflows trigger answers 202 Accepted with no body once the flow run is queued.
  accept: () => ({ status: 202 }),
  documentedExamples: [
    {
      source:
        'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using (Send Adaptive Cards using an Incoming Webhook, example)',
      method: 'POST',
      path: '/workflows/0a1b2c3d4e5f60718293a4b5c6d7e8f9/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.2',
              body: [
                {
                  type: 'TextBlock',
                  text: 'For Samples and Templates, see [https://adaptivecards.io/samples](https://adaptivecards.io/samples)',
                },
              ],
            },
          },
        ],
      }),
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { error: { code: 'TriggerInputSchemaMismatch' } } },
      retryable: false,
      why: 'payload does not match the trigger schema',
    },
    {
      answer: { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired' } } },
      retryable: false,
      why: 'signature invalid',
    },
    {
      answer: { status: 404, body: { error: { code: 'WorkflowNotFound' } } },
      retryable: false,
      why: 'workflow deleted',
    },
    { answer: { status: 502 }, retryable: true, why: 'gateway error' },
    { answer: { status: 503 }, retryable: true, why: 'service unavailable' },
  ],
};

import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  mentionsAlert,
  requireContentType,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// Rocket.Chat incoming webhook integrations (docs.rocket.chat/docs/integrations): POST
// /hooks/<integration id>/<token>, JSON in the chat.postMessage shape (text, alias, channel,
// attachments); a message text is limited by Message_MaxAllowedSize (5,000 by default).

const INTEGRATION_ID = 'hXq2Ld8mKp4Tz7RwE';
const TOKEN = 'b6YcWn3Qx9Fv2Ls8Kd4Ph7Tj1Rz5Mg0Aq6Ue3Ni9Xo2Cw8By';

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://docs.rocket.chat/docs/integrations',
    'https://developer.rocket.chat/apidocs/post-message',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/hooks/${INTEGRATION_ID}/${TOKEN}`,
    channel: '#alerts',
  }),
  secrets: [TOKEN],
  protocol: (request) => {
    const problems = [
      ...requireRoute(request, 'POST', /^\/hooks\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/),
      ...requireContentType(request.headers, 'application/json'),
      ...requireJsonObject(request.json),
      ...maxLength(request.json, 'text', 5000),
    ];
    const attachments = valueAt(request.json, 'attachments');
    if (valueAt(request.json, 'text') === undefined && !Array.isArray(attachments))
      problems.push('neither text nor attachments');
    if (Array.isArray(attachments)) {
      attachments.forEach((attachment: unknown, index) =>
        problems.push(
          ...maxLength(attachment, 'text', 5000).map((p) => `attachments.${index}: ${p}`),
        ),
      );
    }
    return problems;
  },
  semantics: (request, sent) => [
    ...mentionsAlert(valueAt(request.json, 'text'), sent),
    ...(valueAt(request.json, 'channel') === '#alerts' ? [] : ['channel override not passed']),
  ],
  accept: () => ({ status: 200, body: { success: true } }),
  documentedExamples: [
    {
      source:
        'https://docs.rocket.chat/docs/integrations (Incoming webhook: example curl with attachments)',
      method: 'POST',
      path: '/hooks/xxxxxxxx/yyyyyyyy',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":"Example message","attachments":[{"title":"Rocket.Chat","title_link":"https://rocket.chat","text":"Rocket.Chat, the best open source chat","image_url":"/images/integration-attachment-example.png","color":"#764FA5"}]}',
    },
  ],
  errors: [
    {
      answer: { status: 200, body: { success: false, error: 'error-invalid-channel' } },
      retryable: false,
      why: 'success:false',
    },
    {
      answer: { status: 400, body: { success: false, error: 'Invalid integration id or token' } },
      retryable: false,
      why: 'bad integration token',
    },
    {
      answer: { status: 404, body: { success: false } },
      retryable: false,
      why: 'integration deleted',
    },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

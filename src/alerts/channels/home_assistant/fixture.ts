import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireBearer,
  requireContentType,
  requireJsonObject,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.contract-home-assistant-token.0001';
const SERVICE = 'mobile_app_pixel_8';

/**
 * REST API "POST /api/services/<domain>/<service>", as developers.home-assistant.io documents
 * it; the notify integration's service data (message required, title optional).
 */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://developers.home-assistant.io/docs/api/rest/',
    'https://www.home-assistant.io/integrations/notify/',
  ],
  settings: (baseUrl) => ({ url: baseUrl, token: TOKEN, service: SERVICE }),
  secrets: [TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', /^\/api\/services\/[a-z0-9_]+\/[a-z0-9_]+$/),
    ...(String(request.headers['authorization'] ?? '').startsWith('Bearer ')
      ? []
      : ['no long-lived token (Authorization: Bearer)']),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
  ],
  semantics: (request, sent) => {
    const problems = [...requireBearer(request.headers, TOKEN)];
    if (request.path !== `/api/services/notify/${SERVICE}`)
      problems.push('not the configured notify service');
    if (stringAt(request.json, 'message') === '')
      problems.push('message (required by notify) is missing');
    if (valueAt(request.json, 'title') !== sent.message.title)
      problems.push('title is not the alert title');
    return problems;
  },
  accept: () => ({ status: 200, body: [] }),
  documentedExamples: [
    {
      source:
        'https://developers.home-assistant.io/docs/api/rest/ — "POST /api/services/<domain>/<service>" curl example',
      method: 'POST',
      path: '/api/services/switch/turn_on',
      headers: { 'content-type': 'application/json', authorization: 'Bearer TOKEN' },
      body: '{"entity_id": "switch.christmas_lights"}',
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { message: 'Service notify.mobile_app_gone not found.' } },
      retryable: false,
      why: 'unknown notify service',
    },
    { answer: { status: 401, body: '401: Unauthorized' }, retryable: false, why: 'revoked token' },
    { answer: { status: 404, body: '404: Not Found' }, retryable: false, why: 'wrong URL' },
    {
      answer: { status: 502, body: 'Bad Gateway' },
      retryable: true,
      why: 'Home Assistant restarting behind a proxy',
    },
    {
      answer: { status: 500, body: '500 Internal Server Error' },
      retryable: true,
      why: 'integration error',
    },
  ],
};

import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireFields,
  requireJsonObject,
  requireOneOf,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const DEVICE_KEY = 'ynJ5Ft4contractBarkKey01';
const APNS_PAYLOAD_BYTES = 4096;

/** POST /push with JSON, as the Bark tutorial and bark-server's API_V2.md document it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://bark.day.app/#/en-us/tutorial',
    'https://github.com/Finb/bark-server/blob/master/docs/API_V2.md',
  ],
  settings: (baseUrl) => ({ apiUrl: baseUrl, deviceKey: DEVICE_KEY }),
  secrets: [DEVICE_KEY],
  protocol: (request) => [
    ...requireRoute(request, 'POST', '/push'),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...requireFields(request.json, ['body', 'device_key']),
    ...(valueAt(request.json, 'level') === undefined
      ? []
      : requireOneOf(request.json, 'level', ['critical', 'active', 'timeSensitive', 'passive'])),
    ...(Buffer.byteLength(request.rawBody, 'utf8') <= APNS_PAYLOAD_BYTES
      ? []
      : ['push is larger than the 4096-byte APNs payload']),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (valueAt(request.json, 'device_key') !== DEVICE_KEY) problems.push('device_key differs');
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!stringAt(request.json, 'title').includes(title))
      problems.push('title lacks the alert title');
    const expected = {
      critical: 'timeSensitive',
      warning: 'active',
      ok: 'active',
      info: 'passive',
    }[sent.message.severity];
    if (valueAt(request.json, 'level') !== expected)
      problems.push('level does not follow the severity');
    return problems;
  },
  accept: () => ({ status: 200, body: { code: 200, message: 'success', timestamp: 1767225660 } }),
  documentedExamples: [
    {
      source:
        'https://bark.day.app/#/en-us/tutorial — "JSON request key can be placed in the request body, the URL path must be /push"',
      method: 'POST',
      path: '/push',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"body": "Test Bark Server", "title": "Test Title", "device_key": "your_key"}',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: {
          code: 400,
          message: 'failed to get device token: failed to get [x] device token from database',
          timestamp: 1767225660,
        },
      },
      retryable: false,
      why: 'unknown device key',
    },
    {
      answer: {
        status: 200,
        body: { code: 400, message: 'request bind failed: body is empty', timestamp: 1767225660 },
      },
      retryable: false,
      why: 'code 400 in a 2xx answer',
    },
    {
      answer: {
        status: 500,
        body: { code: 500, message: 'push failed: APNs unavailable', timestamp: 1767225660 },
      },
      retryable: true,
      why: 'APNs push failed',
    },
  ],
};

import type { HttpChannelFixture } from '../../testing/channel-fixture.ts';
import {
  requireContentType,
  requireFields,
  requireJsonObject,
  requireMention,
  requireOneOf,
  requireRoute,
  subjectOf,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TEAM_SECRET = 's4contractteamsecret0008';
const DOCS = 'https://docs.signl4.com/integrations/webhook/webhook.html';

/** The SIGNL4 inbound team webhook, as its webhook integration page documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS],
  settings: (baseUrl) => ({ teamSecret: TEAM_SECRET, service: 'Web', apiUrl: baseUrl }),
  secrets: [TEAM_SECRET],
  protocol: (request) => [
    // The team secret in the path is the authentication.
    ...requireRoute(request, 'POST', /^\/webhook\/[^/]+$/),
    ...requireContentType(request.headers, 'application/json'),
    ...requireJsonObject(request.json),
    ...optionalEnum(request.json, 'X-S4-Status', ['new', 'acknowledged', 'resolved']),
    ...optionalEnum(request.json, 'X-S4-AlertingScenario', [
      'single_ack',
      'multi_ack',
      'emergency',
    ]),
    // A resolve finds its Signl by the external ID it was raised with.
    ...(valueAt(request.json, 'X-S4-Status') === 'resolved'
      ? requireFields(request.json, ['X-S4-ExternalID'])
      : []),
  ],
  semantics: (request, sent) => {
    const problems: string[] = [];
    if (request.path !== `/webhook/${TEAM_SECRET}`) problems.push('team secret not in the path');
    const expected = sent.status === 'firing' ? 'new' : 'resolved';
    if (valueAt(request.json, 'X-S4-Status') !== expected)
      problems.push(`X-S4-Status is not ${expected}`);
    if (valueAt(request.json, 'X-S4-ExternalID') !== sent.dedupKey)
      problems.push('X-S4-ExternalID differs');
    if (valueAt(request.json, 'X-S4-Service') !== 'Web') problems.push('X-S4-Service missing');
    problems.push(...requireMention(request.json, 'Title', subjectOf(sent)));
    return problems;
  },
  accept: () => ({ status: 201, body: { eventId: '2518783235949759942_fda8a7d9-2f1a-4b6e' } }),
  documentedExamples: [
    {
      source: `${DOCS} (Trigger Alerts: sample payload)`,
      method: 'POST',
      path: '/webhook/teamSecret',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        'Gate Id': 'Gate Id',
        Message: 'Aggressive passenger',
        Source: 'Gate agent',
        Type: 'Security alert',
        'X-S4-Service': 'Security',
        'X-S4-Location': '40.6413111,-73.7781391',
        'X-S4-AlertingScenario': 'multi_ack',
        'X-S4-ExternalID': 'INC091210',
      }),
    },
    {
      source: `${DOCS} (Samples: Trigger Alert)`,
      method: 'POST',
      path: '/webhook/team-secret',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Title: 'Test',
        Message: 'Alert',
        'X-S4-ExternalID': 'sensor-id-1',
        'X-S4-Status': 'new',
      }),
    },
    {
      source: `${DOCS} (Samples: Close Alert)`,
      method: 'POST',
      path: '/webhook/team-secret',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'X-S4-ExternalID': 'sensor-id-1', 'X-S4-Status': 'resolved' }),
    },
  ],
  errors: [
    { answer: { status: 400 }, retryable: false, why: 'invalid payload' },
    { answer: { status: 401 }, retryable: false, why: 'unknown team secret' },
    { answer: { status: 404 }, retryable: false, why: 'unknown team secret' },
    { answer: { status: 429 }, retryable: true, why: 'rate limited' },
    { answer: { status: 500 }, retryable: true, why: 'server error' },
  ],
};

function optionalEnum(body: unknown, path: string, allowed: readonly string[]): string[] {
  return valueAt(body, path) === undefined ? [] : requireOneOf(body, path, allowed);
}

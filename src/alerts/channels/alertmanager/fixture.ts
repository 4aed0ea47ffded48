import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  optionalTimestamp,
  requireBasicAuth,
  requireContentType,
  requireRoute,
  subjectOf,
  valueAt,
} from '../../testing/protocol-checks.ts';
import type { OutgoingAlert } from '../../types.ts';

const USER = 'crosscheck';
const PASSWORD = 'am-contract-password-0010';
const DOCS = 'https://prometheus.io/docs/alerting/latest/alerts_api/';
const OPENAPI = 'https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Clock slack between the channel's "now" and the check's. */
const SLACK_MS = 60_000;

/** Alertmanager's API v2 `POST /api/v2/alerts` (postableAlerts), as its docs and OpenAPI state. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [DOCS, OPENAPI],
  settings: (baseUrl) => ({
    url: `${baseUrl}/alertmanager`,
    username: USER,
    password: PASSWORD,
    labels: { team: 'payments' },
  }),
  secrets: [PASSWORD],
  protocol: (request) => [
    ...requireRoute(request, 'POST', /\/api\/v2\/alerts$/),
    ...requireContentType(request.headers, 'application/json'),
    ...authScheme(request),
    ...alertsProblems(request.json),
  ],
  semantics: (request, sent) => {
    const problems = requireBasicAuth(request.headers, USER, PASSWORD);
    if (request.path !== '/alertmanager/api/v2/alerts') problems.push('route prefix dropped');
    const alerts = Array.isArray(request.json) ? (request.json as unknown[]) : [];
    if (alerts.length !== 1) return [...problems, 'expected one alert'];
    return [...problems, ...alertMeaning(alerts[0], sent)];
  },
  accept: () => ({ status: 200 }),
  documentedExamples: [
    {
      source: `${DOCS} (the example request, its <placeholders> filled with values of their documented types)`,
      method: 'POST',
      path: '/api/v2/alerts',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'DiskFull', instance: 'db01:9100' },
          annotations: { summary: 'Disk full on db01' },
          startsAt: '2026-12-04T03:00:00Z',
          endsAt: '2026-12-04T04:00:00Z',
          generatorURL: 'http://prometheus:9090/graph?g0.expr=disk_free%3D%3D0',
        },
      ]),
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { code: 400, message: 'labels must not be empty' } },
      retryable: false,
      why: 'invalid alerts',
    },
    { answer: { status: 401 }, retryable: false, why: 'proxy refused the credentials' },
    { answer: { status: 500 }, retryable: true, why: 'internal error' },
    { answer: { status: 503 }, retryable: true, why: 'not ready' },
  ],
};

/** Alertmanager has no authentication of its own; a proxy in front takes Basic or Bearer. */
function authScheme(request: ProviderRequest): string[] {
  const value = request.headers['authorization'];
  if (value === undefined) return [];
  return /^(Basic|Bearer) \S+$/.test(value) ? [] : ['authorization is neither Basic nor Bearer'];
}

function alertsProblems(body: unknown): string[] {
  if (!Array.isArray(body)) return ['body is not a JSON array of alerts'];
  if (body.length === 0) return ['no alerts in the array'];
  return body.flatMap((alert: unknown, index) =>
    alertProblems(alert).map((problem) => `alert ${index}: ${problem}`),
  );
}

function alertProblems(alert: unknown): string[] {
  const labels = valueAt(alert, 'labels');
  if (labels === null || typeof labels !== 'object') return ['labels missing'];
  const problems: string[] = [];
  if (typeof valueAt(labels, 'alertname') !== 'string') problems.push('labels.alertname missing');
  problems.push(...stringMap(labels, 'labels'));
  const annotations = valueAt(alert, 'annotations');
  if (annotations !== undefined) problems.push(...stringMap(annotations, 'annotations'));
  problems.push(...optionalTimestamp(alert, 'startsAt'), ...optionalTimestamp(alert, 'endsAt'));
  const generator = valueAt(alert, 'generatorURL');
  if (generator !== undefined && (typeof generator !== 'string' || URL.parse(generator) === null))
    problems.push('generatorURL is not a URL');
  return problems;
}

function stringMap(value: unknown, what: string): string[] {
  if (value === null || typeof value !== 'object') return [`${what} is not an object`];
  return Object.entries(value).flatMap(([name, v]) => [
    ...(LABEL_NAME.test(name) ? [] : [`${what} name "${name}" is invalid`]),
    ...(typeof v === 'string' ? [] : [`${what}.${name} is not a string`]),
  ]);
}

function alertMeaning(alert: unknown, sent: OutgoingAlert): string[] {
  const problems: string[] = [];
  if (valueAt(alert, 'labels.dedup_key') !== sent.dedupKey)
    problems.push('dedup_key label differs');
  if (valueAt(alert, 'labels.team') !== 'payments') problems.push('extra label missing');
  const summary = valueAt(alert, 'annotations.summary');
  if (typeof summary !== 'string' || !summary.includes(subjectOf(sent)))
    problems.push('summary does not name the monitor or node');
  const endsAt = Date.parse(String(valueAt(alert, 'endsAt')));
  const now = Date.now();
  if (sent.status === 'resolved' && !(endsAt <= now + SLACK_MS))
    problems.push('a resolved alert must end now');
  if (sent.status === 'firing' && !(endsAt > now + SLACK_MS))
    problems.push('a firing alert must not end now');
  if (sent.status === 'resolved' && sent.openingRef !== null) {
    const opened = JSON.parse(sent.openingRef) as unknown;
    if (JSON.stringify(valueAt(alert, 'labels')) !== JSON.stringify(opened))
      problems.push('resolve does not repeat the firing labels');
  }
  return problems;
}

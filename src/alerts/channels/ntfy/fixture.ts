import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import { requireBearer, stringAt, valueAt } from '../../testing/protocol-checks.ts';

const TOKEN = 'tk_contractntfytoken0000000001';
const TOPIC = 'crosscheck-contract-alerts';
const PRIORITY_NAMES = ['min', 'low', 'default', 'high', 'max', 'urgent'];

/** Publishing (as JSON, or to /<topic>), as https://docs.ntfy.sh/publish/ documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://docs.ntfy.sh/publish/#publish-as-json',
    'https://docs.ntfy.sh/publish/#access-tokens',
    'https://docs.ntfy.sh/publish/#limitations',
  ],
  settings: (baseUrl) => ({ url: baseUrl, topic: TOPIC, token: TOKEN }),
  secrets: [TOKEN, TOPIC],
  protocol: (request) => [
    ...routeProblems(request),
    ...authProblems(request),
    ...messageProblems(request),
  ],
  semantics: (request, sent) => {
    const problems = [...requireBearer(request.headers, TOKEN)];
    if (valueAt(request.json, 'topic') !== TOPIC) problems.push('topic differs');
    if (valueAt(request.json, 'title') !== sent.message.title)
      problems.push('title is not the alert title');
    const expected = { critical: 5, warning: 4, ok: 3, info: 2 }[sent.message.severity];
    if (valueAt(request.json, 'priority') !== expected)
      problems.push('priority does not follow the severity');
    if (sent.message.url !== null && valueAt(request.json, 'click') !== sent.message.url)
      problems.push('click is not the incident link');
    return problems;
  },
  accept: (request) => ({
    status: 200,
    body: {
      id: 'sPs71M8A2T',
      time: 1767225660,
      expires: 1767268860,
      event: 'message',
      topic: valueAt(request.json, 'topic'),
      title: valueAt(request.json, 'title'),
      message: valueAt(request.json, 'message'),
    },
  }),
  documentedExamples: [
    {
      source: 'https://docs.ntfy.sh/publish/#publish-as-json — HTTP example',
      method: 'POST',
      path: '/',
      headers: {},
      body: `{
    "topic": "mytopic",
    "message": "Disk space is low at 5.1 GB",
    "title": "Low disk space alert",
    "tags": ["warning","cd"],
    "priority": 4,
    "attach": "https://filesrv.lan/space.jpg",
    "filename": "diskspace.jpg",
    "click": "https://homecamera.lan/xasds1h2xsSsa/",
    "actions": [{ "action": "view", "label": "Admin panel", "url": "https://filesrv.lan/admin" }]
}`,
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: { code: 40009, http: 400, error: 'invalid request: topic invalid' },
      },
      retryable: false,
      why: 'invalid topic',
    },
    {
      answer: { status: 401, body: { code: 40101, http: 401, error: 'unauthorized' } },
      retryable: false,
      why: 'wrong token',
    },
    {
      answer: { status: 403, body: { code: 40301, http: 403, error: 'forbidden' } },
      retryable: false,
      why: 'no write access to the topic',
    },
    {
      answer: { status: 413, body: { code: 41301, http: 413, error: 'request entity too large' } },
      retryable: false,
      why: 'message too large',
    },
    {
      answer: {
        status: 429,
        body: { code: 42901, http: 429, error: 'limit reached: too many requests' },
      },
      retryable: true,
      why: 'visitor request limit',
    },
    {
      answer: { status: 507, body: { code: 50701, http: 507, error: 'insufficient storage' } },
      retryable: true,
      why: 'cache full',
    },
  ],
};

/** JSON goes to the root URL with the topic in the body; plain text to /<topic>. */
function routeProblems(request: ProviderRequest): string[] {
  if (request.method !== 'POST' && request.method !== 'PUT')
    return [`method is ${request.method}, expected POST or PUT`];
  if (request.path === '/') {
    if (request.json === null || typeof request.json !== 'object')
      return ['a publish to / must be a JSON object'];
    return /^[-_A-Za-z0-9]{1,64}$/.test(stringAt(request.json, 'topic'))
      ? []
      : ['JSON publish without a valid topic'];
  }
  return /^\/[-_A-Za-z0-9]{1,64}$/.test(request.path)
    ? []
    : [`path ${request.path} is not a topic`];
}

function authProblems(request: ProviderRequest): string[] {
  const auth = request.headers['authorization'];
  if (auth === undefined) return [];
  return /^(Bearer|Basic) \S+$/.test(auth) ? [] : ['Authorization is neither Bearer nor Basic'];
}

function messageProblems(request: ProviderRequest): string[] {
  const json = request.path === '/' ? request.json : undefined;
  const message = json === undefined ? request.rawBody : stringAt(json, 'message');
  const problems: string[] = [];
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes > 4096) problems.push(`message is ${bytes} bytes, the limit is 4096`);
  const priority = valueAt(json, 'priority');
  const validPriority =
    priority === undefined ||
    (typeof priority === 'number' &&
      Number.isInteger(priority) &&
      priority >= 1 &&
      priority <= 5) ||
    (typeof priority === 'string' && PRIORITY_NAMES.includes(priority));
  if (!validPriority) problems.push(`priority ${JSON.stringify(priority)} is not 1-5`);
  const tags = valueAt(json, 'tags');
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')))
    problems.push('tags must be an array of strings');
  return problems;
}

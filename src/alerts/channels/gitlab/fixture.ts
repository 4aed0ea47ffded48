import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import { textLength } from '../../kit/formats.ts';
import { requireHeader, requireRoute, valueAt } from '../../testing/protocol-checks.ts';

const TOKEN = 'glpat-contract-token-0001';
const DOCS = 'https://docs.gitlab.com/api/issues';
const PROJECT = '[^/]+';
const ISSUES = new RegExp(`^/api/v4/projects/${PROJECT}/issues$`);
const ISSUE = new RegExp(`^/api/v4/projects/${PROJECT}/issues/\\d+$`);
const NOTES = new RegExp(`^/api/v4/projects/${PROJECT}/issues/\\d+/notes$`);

function endpoint(request: ProviderRequest): 'create' | 'note' | 'edit' | 'unknown' {
  if (request.method === 'POST' && ISSUES.test(request.path)) return 'create';
  if (request.method === 'POST' && NOTES.test(request.path)) return 'note';
  if (request.method === 'PUT' && ISSUE.test(request.path)) return 'edit';
  return 'unknown';
}

/** GitLab takes attributes as a JSON body or as query parameters (its curl examples). */
function attribute(request: ProviderRequest, name: string): string | undefined {
  const value = valueAt(request.json, name) ?? request.query.get(name) ?? undefined;
  return typeof value === 'string' ? value : undefined;
}

function lengthProblems(request: ProviderRequest, name: string, limit: number): string[] {
  const value = attribute(request, name);
  return value !== undefined && textLength(value) > limit
    ? [`"${name}" is longer than ${limit} characters`]
    : [];
}

/** GitLab REST v4: new issue, new issue note, edit issue (state_event=close). */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    `${DOCS}/#new-issue`,
    `${DOCS}/#edit-an-issue`,
    'https://docs.gitlab.com/api/notes/#create-new-issue-note',
  ],
  settings: (baseUrl) => ({
    url: baseUrl,
    project: 'ops/status-board',
    token: TOKEN,
    labels: ['outage'],
  }),
  secrets: [TOKEN],
  protocol: (request) => {
    const problems = requireHeader(request.headers, 'private-token', TOKEN);
    switch (endpoint(request)) {
      case 'create':
        return [
          ...problems,
          ...(attribute(request, 'title') ? [] : ['required attribute "title" is missing']),
          ...lengthProblems(request, 'title', 255),
          ...lengthProblems(request, 'description', 1_048_576),
        ];
      case 'note':
        return [
          ...problems,
          ...(attribute(request, 'body') ? [] : ['required attribute "body" is missing']),
          ...lengthProblems(request, 'body', 1_000_000),
        ];
      case 'edit': {
        const event = attribute(request, 'state_event');
        return event === undefined || event === 'close' || event === 'reopen'
          ? problems
          : [...problems, `state_event is ${event}`];
      }
      default:
        return [...problems, ...requireRoute(request, 'POST', ISSUES)];
    }
  },
  semantics: (request, sent) => {
    const kind = endpoint(request);
    if (sent.status === 'firing') {
      if (kind !== 'create') return [`a firing alert must open an issue, got ${kind}`];
      if (!request.path.includes('ops%2Fstatus-board')) return ['project path is not URL-encoded'];
      return (attribute(request, 'title') ?? '').includes(sent.message.title.slice(0, 40))
        ? []
        : ['title lacks the alert title'];
    }
    if (kind !== 'edit') return [`a closing alert must end by closing the issue, got ${kind}`];
    return [
      ...(attribute(request, 'state_event') === 'close' ? [] : ['state_event is not close']),
      ...(request.path.endsWith(`/${sent.openingRef ?? 'none'}`) ? [] : ['closes another issue']),
    ];
  },
  accept: (request) => {
    switch (endpoint(request)) {
      case 'create':
        return { status: 201, body: { id: 84, iid: 14, project_id: 4, state: 'opened' } };
      case 'note':
        return { status: 201, body: { id: 302, body: 'closed' } };
      default:
        return { status: 200, body: { id: 84, iid: 14, state: 'closed' } };
    }
  },
  documentedExamples: [
    {
      source: `${DOCS}/#new-issue (example request)`,
      method: 'POST',
      path: '/api/v4/projects/4/issues?title=Issues%20with%20auth&labels=bug',
      headers: { 'PRIVATE-TOKEN': TOKEN },
      body: '',
    },
    {
      source: `${DOCS}/#edit-an-issue (example request)`,
      method: 'PUT',
      path: '/api/v4/projects/4/issues/85?state_event=close',
      headers: { 'PRIVATE-TOKEN': TOKEN },
      body: '',
    },
    {
      source: 'https://docs.gitlab.com/api/notes/#create-new-issue-note (example request)',
      method: 'POST',
      path: '/api/v4/projects/5/issues/11/notes?body=note',
      headers: { 'PRIVATE-TOKEN': TOKEN },
      body: '',
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { message: 'title is missing' } },
      retryable: false,
      why: 'bad request',
    },
    {
      answer: { status: 401, body: { message: '401 Unauthorized' } },
      retryable: false,
      why: 'bad token',
    },
    {
      answer: { status: 403, body: { message: '403 Forbidden' } },
      retryable: false,
      why: 'no permission',
    },
    {
      answer: { status: 404, body: { message: '404 Project Not Found' } },
      retryable: false,
      why: 'no such project',
    },
    {
      answer: { status: 500, body: { message: '500 Internal Server Error' } },
      retryable: true,
      why: 'server error',
    },
  ],
};

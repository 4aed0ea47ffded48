import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  requireBearer,
  requireFields,
  requireHeader,
  requireJsonObject,
  requireOneOf,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'github_pat_contract0001';
const DOCS = 'https://docs.github.com/en/rest/issues/issues';
const ISSUES = /^\/repos\/octo-org\/status-board\/issues$/;
const ISSUE = /^\/repos\/octo-org\/status-board\/issues\/\d+$/;
const COMMENTS = /^\/repos\/octo-org\/status-board\/issues\/\d+\/comments$/;

/** Which documented endpoint a request is for. */
function endpoint(request: ProviderRequest): 'create' | 'comment' | 'update' | 'unknown' {
  if (request.method === 'POST' && ISSUES.test(request.path)) return 'create';
  if (request.method === 'POST' && COMMENTS.test(request.path)) return 'comment';
  if (request.method === 'PATCH' && ISSUE.test(request.path)) return 'update';
  return 'unknown';
}

/** GitHub REST: create an issue, comment on it, update (close) it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    `${DOCS}#create-an-issue`,
    `${DOCS}#update-an-issue`,
    'https://docs.github.com/en/rest/issues/comments#create-an-issue-comment',
  ],
  settings: (baseUrl) => ({
    apiUrl: baseUrl,
    owner: 'octo-org',
    repo: 'status-board',
    token: TOKEN,
    labels: ['outage'],
  }),
  secrets: [TOKEN],
  protocol: (request) => {
    const problems = [
      ...requireBearer(request.headers, TOKEN),
      ...requireHeader(request.headers, 'accept', 'application/vnd.github+json'),
      ...requireHeader(request.headers, 'x-github-api-version', '2022-11-28'),
      ...requireJsonObject(request.json),
    ];
    switch (endpoint(request)) {
      case 'create':
        return [
          ...problems,
          ...requireFields(request.json, ['title']),
          ...maxLength(request.json, 'title', 256),
          ...maxLength(request.json, 'body', 65_536),
        ];
      case 'comment':
        return [
          ...problems,
          ...requireFields(request.json, ['body']),
          ...maxLength(request.json, 'body', 65_536),
        ];
      case 'update':
        return [...problems, ...requireOneOf(request.json, 'state', ['open', 'closed', undefined])];
      default:
        return [...problems, ...requireRoute(request, 'POST', ISSUES)];
    }
  },
  semantics: (request, sent) => {
    const kind = endpoint(request);
    if (sent.status === 'firing') {
      if (kind !== 'create') return [`a firing alert must open an issue, got ${kind}`];
      const title = String(valueAt(request.json, 'title'));
      const body = String(valueAt(request.json, 'body'));
      return [
        ...(title.includes(sent.message.title.slice(0, 40)) ? [] : ['title lacks the alert title']),
        ...(body.includes(sent.dedupKey) ? [] : ['body lacks the dedup key']),
      ];
    }
    if (kind !== 'update') return [`a closing alert must end by closing the issue, got ${kind}`];
    return [
      ...(valueAt(request.json, 'state') === 'closed' ? [] : ['state is not closed']),
      ...(request.path.endsWith(`/${sent.openingRef ?? 'none'}`) ? [] : ['closes another issue']),
    ];
  },
  accept: (request) => {
    switch (endpoint(request)) {
      case 'create':
        return { status: 201, body: { id: 1, number: 1347, state: 'open', title: 'Found a bug' } };
      case 'comment':
        return { status: 201, body: { id: 1, body: 'Me too' } };
      default:
        return { status: 200, body: { id: 1, number: 1347, state: 'closed' } };
    }
  },
  documentedExamples: [
    {
      source: `${DOCS}#create-an-issue (example request)`,
      method: 'POST',
      path: '/repos/octo-org/status-board/issues',
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${TOKEN}`,
        'X-GitHub-Api-Version': '2022-11-28',
      },
      body: '{"title":"Found a bug","body":"I\'m having a problem with this.","assignees":["octocat"],"milestone":1,"labels":["bug"]}',
    },
    {
      source: `${DOCS}#update-an-issue (example request)`,
      method: 'PATCH',
      path: '/repos/octo-org/status-board/issues/1347',
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${TOKEN}`,
        'X-GitHub-Api-Version': '2022-11-28',
      },
      body: '{"title":"Found a bug","body":"I\'m having a problem with this.","assignees":["octocat"],"milestone":1,"state":"open","labels":["bug"]}',
    },
    {
      source:
        'https://docs.github.com/en/rest/issues/comments#create-an-issue-comment (example request)',
      method: 'POST',
      path: '/repos/octo-org/status-board/issues/1347/comments',
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${TOKEN}`,
        'X-GitHub-Api-Version': '2022-11-28',
      },
      body: '{"body":"Me too"}',
    },
  ],
  errors: [
    {
      answer: { status: 401, body: { message: 'Bad credentials' } },
      retryable: false,
      why: 'bad token',
    },
    {
      answer: { status: 404, body: { message: 'Not Found' } },
      retryable: false,
      why: 'no such repository',
    },
    {
      answer: { status: 410, body: { message: 'Issues are disabled for this repo' } },
      retryable: false,
      why: 'issues disabled',
    },
    {
      answer: { status: 422, body: { message: 'Validation Failed' } },
      retryable: false,
      why: 'validation failed',
    },
    {
      answer: { status: 503, body: { message: 'Service unavailable' } },
      retryable: true,
      why: 'service unavailable',
    },
  ],
};

import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  requireContentType,
  requireFields,
  requireHeader,
  requireJsonObject,
  requireOneOf,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = 'gitea-contract-token-0001';
const DOCS = 'https://docs.gitea.com/api/1.22/#tag/issue';
const REPO = '/api/v1/repos/ops/status-board/issues';
const ISSUE = /^\/api\/v1\/repos\/ops\/status-board\/issues\/\d+$/;
const COMMENTS = /^\/api\/v1\/repos\/ops\/status-board\/issues\/\d+\/comments$/;

function endpoint(request: ProviderRequest): 'create' | 'comment' | 'edit' | 'unknown' {
  if (request.method === 'POST' && request.path === REPO) return 'create';
  if (request.method === 'POST' && COMMENTS.test(request.path)) return 'comment';
  if (request.method === 'PATCH' && ISSUE.test(request.path)) return 'edit';
  return 'unknown';
}

/** Gitea API v1 (swagger): issueCreateIssue, issueCreateComment, issueEditIssue. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    `${DOCS}/operation/issueCreateIssue`,
    `${DOCS}/operation/issueCreateComment`,
    `${DOCS}/operation/issueEditIssue`,
  ],
  settings: (baseUrl) => ({ url: baseUrl, owner: 'ops', repo: 'status-board', token: TOKEN }),
  secrets: [TOKEN],
  protocol: (request) => {
    const problems = [
      ...requireHeader(request.headers, 'authorization', `token ${TOKEN}`),
      ...requireContentType(request.headers, 'application/json'),
      ...requireJsonObject(request.json),
    ];
    switch (endpoint(request)) {
      case 'create':
        return [
          ...problems,
          ...requireFields(request.json, ['title']),
          ...maxLength(request.json, 'title', 255),
        ];
      case 'comment':
        return [...problems, ...requireFields(request.json, ['body'])];
      case 'edit':
        return [...problems, ...requireOneOf(request.json, 'state', ['open', 'closed', undefined])];
      default:
        return [...problems, ...requireRoute(request, 'POST', REPO)];
    }
  },
  semantics: (request, sent) => {
    const kind = endpoint(request);
    if (sent.status === 'firing') {
      if (kind !== 'create') return [`a firing alert must open an issue, got ${kind}`];
      return String(valueAt(request.json, 'title')).includes(sent.message.title.slice(0, 40))
        ? []
        : ['title lacks the alert title'];
    }
    if (kind !== 'edit') return [`a closing alert must end by closing the issue, got ${kind}`];
    return [
      ...(valueAt(request.json, 'state') === 'closed' ? [] : ['state is not closed']),
      ...(request.path.endsWith(`/${sent.openingRef ?? 'none'}`) ? [] : ['closes another issue']),
    ];
  },
  accept: (request) => {
    switch (endpoint(request)) {
      case 'create':
        return { status: 201, body: { id: 7, number: 3, state: 'open', title: 'string' } };
      case 'comment':
        return { status: 201, body: { id: 11, body: 'string' } };
      default:
        return { status: 201, body: { id: 7, number: 3, state: 'closed' } };
    }
  },
  documentedExamples: [
    {
      source: `${DOCS}/operation/issueCreateIssue (CreateIssueOption example)`,
      method: 'POST',
      path: REPO,
      headers: { Authorization: `token ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"assignees":["string"],"body":"string","closed":true,"due_date":"2019-08-24T14:15:22Z","labels":[0],"milestone":0,"ref":"string","title":"string"}',
    },
    {
      source: `${DOCS}/operation/issueEditIssue (EditIssueOption example)`,
      method: 'PATCH',
      path: '/api/v1/repos/ops/status-board/issues/3',
      headers: { Authorization: `token ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"body":"string","ref":"string","state":"closed","title":"string"}',
    },
  ],
  errors: [
    {
      answer: { status: 403, body: { message: 'token does not have the required scope' } },
      retryable: false,
      why: 'forbidden',
    },
    {
      answer: { status: 404, body: { message: 'repository does not exist' } },
      retryable: false,
      why: 'not found',
    },
    {
      answer: { status: 422, body: { message: 'validation error' } },
      retryable: false,
      why: 'validation error',
    },
    {
      answer: { status: 500, body: { message: 'internal error' } },
      retryable: true,
      why: 'server error',
    },
  ],
};

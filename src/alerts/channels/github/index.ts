import { z } from 'zod';
import {
  closingComment,
  issueBody,
  issueTitle,
  issueToClose,
  nothingToClose,
  openedIssueReceipt,
} from '../../kit/issue-text.ts';
import { apiBaseUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** GitHub's documented limits: title 256 characters, body and comments 65,536. */
const TITLE_LIMIT = 256;
const BODY_LIMIT = 65_536;
const API_VERSION = '2022-11-28';
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const githubSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://api.github.com').describe(
    'REST API base URL; https://HOST/api/v3 for GitHub Enterprise Server',
  ),
  owner: z
    .string()
    .regex(NAME, { error: 'must be a GitHub user or organisation name' })
    .describe('Repository owner (user or organisation)'),
  repo: z.string().regex(NAME, { error: 'must be a repository name' }).describe('Repository name'),
  token: secretText().describe('Fine-grained token with Issues: read and write'),
  labels: z.array(z.string().min(1).max(50)).max(20).optional().describe('Labels for new issues'),
  timeoutMs: timeoutSetting,
});

export type GithubSettings = z.infer<typeof githubSettingsSchema>;

/** Opens an issue when trouble starts; comments and closes it when it ends. */
export const githubChannel: ChannelDefinition<GithubSettings> = {
  type: 'github',
  title: 'GitHub issue',
  description: 'Open a GitHub issue on an outage and close it with a comment on recovery',
  category: 'issue',
  docsUrl: 'https://docs.github.com/en/rest/issues/issues#create-an-issue',
  settingsSchema: githubSettingsSchema,
  secrets: { token: 'secret' },
  send: sendGithub,
};

function headers(settings: GithubSettings): Record<string, string> {
  return {
    authorization: `Bearer ${settings.token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': API_VERSION,
  };
}

function issuesUrl(settings: GithubSettings, suffix = ''): string {
  const repo = `repos/${encodeURIComponent(settings.owner)}/${encodeURIComponent(settings.repo)}`;
  return joinUrl(settings.apiUrl, `${repo}/issues${suffix}`);
}

async function sendGithub(
  alert: OutgoingAlert,
  settings: GithubSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  if (alert.status === 'firing') return openIssue(alert, settings, ctx);
  const issue = issueToClose(alert);
  if (issue === undefined) return nothingToClose();
  await ctx.http.send({
    url: issuesUrl(settings, `/${issue}/comments`),
    headers: headers(settings),
    json: { body: closingComment(alert, BODY_LIMIT) },
  });
  const answer = await ctx.http.send({
    method: 'PATCH',
    url: issuesUrl(settings, `/${issue}`),
    headers: headers(settings),
    json: { state: 'closed', state_reason: 'completed' },
  });
  return { status: answer.status, answer: `closed issue #${issue}` };
}

async function openIssue(
  alert: OutgoingAlert,
  settings: GithubSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: issuesUrl(settings),
    headers: headers(settings),
    json: {
      title: issueTitle(alert, TITLE_LIMIT),
      body: issueBody(alert, BODY_LIMIT),
      ...(settings.labels === undefined ? {} : { labels: settings.labels }),
    },
  });
  return openedIssueReceipt(answer, 'number', ctx.secrets);
}

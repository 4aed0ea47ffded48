import { z } from 'zod';
import {
  closingComment,
  issueBody,
  issueTitle,
  issueToClose,
  nothingToClose,
  openedIssueReceipt,
} from '../../kit/issue-text.ts';
import { httpUrl, joinUrl, secretText, timeoutSetting } from '../../kit/settings.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** Gitea stores titles up to 255 characters; bodies are kept well below its request limit. */
const TITLE_LIMIT = 255;
const BODY_LIMIT = 65_535;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const giteaSettingsSchema = z.strictObject({
  url: httpUrl('Gitea URL').describe('Your Gitea (or Forgejo), e.g. https://git.example.com'),
  owner: z
    .string()
    .regex(NAME, { error: 'must be a user or organisation name' })
    .describe('Repository owner'),
  repo: z.string().regex(NAME, { error: 'must be a repository name' }).describe('Repository name'),
  token: secretText().describe('Access token with the write:issue scope'),
  timeoutMs: timeoutSetting,
});

export type GiteaSettings = z.infer<typeof giteaSettingsSchema>;

/** Opens a Gitea issue when trouble starts; comments and closes it when it ends. */
export const giteaChannel: ChannelDefinition<GiteaSettings> = {
  type: 'gitea',
  title: 'Gitea issue',
  description: 'Open a Gitea issue on an outage and close it with a comment on recovery',
  category: 'issue',
  docsUrl: 'https://docs.gitea.com/api/1.22/#tag/issue/operation/issueCreateIssue',
  settingsSchema: giteaSettingsSchema,
  secrets: { token: 'secret' },
  send: sendGitea,
};

function issuesUrl(settings: GiteaSettings, suffix = ''): string {
  const repo = `repos/${encodeURIComponent(settings.owner)}/${encodeURIComponent(settings.repo)}`;
  return joinUrl(settings.url, `api/v1/${repo}/issues${suffix}`);
}

async function sendGitea(
  alert: OutgoingAlert,
  settings: GiteaSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const headers = { authorization: `token ${settings.token}` };
  if (alert.status === 'firing') {
    const answer = await ctx.http.send({
      url: issuesUrl(settings),
      headers,
      json: { title: issueTitle(alert, TITLE_LIMIT), body: issueBody(alert, BODY_LIMIT) },
    });
    return openedIssueReceipt(answer, 'number', ctx.secrets);
  }
  const issue = issueToClose(alert);
  if (issue === undefined) return nothingToClose();
  await ctx.http.send({
    url: issuesUrl(settings, `/${issue}/comments`),
    headers,
    json: { body: closingComment(alert, BODY_LIMIT) },
  });
  const answer = await ctx.http.send({
    method: 'PATCH',
    url: issuesUrl(settings, `/${issue}`),
    headers,
    json: { state: 'closed' },
  });
  return { status: answer.status, answer: `closed issue #${issue}` };
}

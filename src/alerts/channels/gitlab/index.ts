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

/** GitLab's limits: title 255 characters, description and notes 1,000,000. */
const TITLE_LIMIT = 255;
const BODY_LIMIT = 1_000_000;

export const gitlabSettingsSchema = z.strictObject({
  url: httpUrl('GitLab URL').describe(
    'Your GitLab, e.g. https://gitlab.com or https://git.example.com',
  ),
  project: z
    .string()
    .regex(/^(\d+|[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+)$/, {
      error: 'must be a numeric project ID or a path like group/project',
    })
    .describe('Project ID (numeric) or full path, e.g. ops/status'),
  token: secretText().describe('Project or personal access token with the api scope'),
  labels: z
    .array(
      z
        .string()
        .min(1)
        .max(50)
        .regex(/^[^,]+$/),
    )
    .max(20)
    .optional()
    .describe('Labels for new issues'),
  timeoutMs: timeoutSetting,
});

export type GitlabSettings = z.infer<typeof gitlabSettingsSchema>;

/** Opens a GitLab issue when trouble starts; adds a note and closes it when it ends. */
export const gitlabChannel: ChannelDefinition<GitlabSettings> = {
  type: 'gitlab',
  title: 'GitLab issue',
  description: 'Open a GitLab issue on an outage and close it with a note on recovery',
  category: 'issue',
  docsUrl: 'https://docs.gitlab.com/api/issues/#new-issue',
  settingsSchema: gitlabSettingsSchema,
  secrets: { token: 'secret' },
  send: sendGitlab,
};

function issuesUrl(settings: GitlabSettings, suffix = ''): string {
  const project = encodeURIComponent(settings.project);
  return joinUrl(settings.url, `api/v4/projects/${project}/issues${suffix}`);
}

async function sendGitlab(
  alert: OutgoingAlert,
  settings: GitlabSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const headers = { 'private-token': settings.token };
  if (alert.status === 'firing') {
    const answer = await ctx.http.send({
      url: issuesUrl(settings),
      headers,
      json: {
        title: issueTitle(alert, TITLE_LIMIT),
        description: issueBody(alert, BODY_LIMIT),
        ...(settings.labels === undefined ? {} : { labels: settings.labels.join(',') }),
      },
    });
    return openedIssueReceipt(answer, 'iid', ctx.secrets);
  }
  const issue = issueToClose(alert);
  if (issue === undefined) return nothingToClose();
  await ctx.http.send({
    url: issuesUrl(settings, `/${issue}/notes`),
    headers,
    json: { body: closingComment(alert, BODY_LIMIT) },
  });
  const answer = await ctx.http.send({
    method: 'PUT',
    url: issuesUrl(settings, `/${issue}`),
    headers,
    json: { state_event: 'close' },
  });
  return { status: answer.status, answer: `closed issue #${issue}` };
}

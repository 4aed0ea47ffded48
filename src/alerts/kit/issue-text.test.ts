import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { giteaChannel } from '../channels/gitea/index.ts';
import { githubChannel } from '../channels/github/index.ts';
import { gitlabChannel } from '../channels/gitlab/index.ts';
import type { AnyAlertChannel } from '../registry.ts';
import { SAMPLE_EVENTS, sampleOutgoing } from '../testing/sample-alerts.ts';
import type { ChannelContext } from '../types.ts';
import { issueBody, issueTitle } from './issue-text.ts';

const settings: Record<string, unknown> = {
  github: { owner: 'o', repo: 'r', token: 't0ken' },
  gitlab: { url: 'https://gitlab.test', project: 'o/r', token: 't0ken' },
  gitea: { url: 'https://gitea.test', owner: 'o', repo: 'r', token: 't0ken' },
};

function contextWithoutNetwork(): ChannelContext & { requests: number } {
  const ctx = {
    requests: 0,
    signal: new AbortController().signal,
    timeoutMs: 1000,
    secrets: [],
    allowedCommands: [],
    http: {
      send: () => {
        ctx.requests += 1;
        return Promise.reject(new Error('no network in unit tests'));
      },
    },
  };
  return ctx;
}

describe('issue channels', () => {
  for (const channel of [githubChannel, gitlabChannel, giteaChannel] as AnyAlertChannel[]) {
    it(`${channel.type}: a closing without an opened issue is sent without a request`, async () => {
      const ctx = contextWithoutNetwork();
      const parsed = channel.settingsSchema.parse(settings[channel.type]);
      const receipt = await channel.send(
        sampleOutgoing(SAMPLE_EVENTS.recovered, null),
        parsed,
        ctx,
      );
      assert.equal(ctx.requests, 0);
      assert.match(receipt.answer, /no issue was opened/);
    });
  }

  it('titles fit the limit and bodies carry the dedup key within theirs', () => {
    const alert = sampleOutgoing(SAMPLE_EVENTS.huge);
    assert.ok(Array.from(issueTitle(alert, 20)).length <= 20);
    const body = issueBody(alert, 2000);
    assert.ok(Array.from(body).length <= 2000);
    assert.ok(body.includes(alert.dedupKey));
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { listChannels } from '../registry.ts';
import { describeHttpChannelContract } from '../testing/channel-contract.ts';
import type { ChannelFixture } from '../testing/channel-fixture.ts';
import { describeCommandChannelContract } from '../testing/command-contract.ts';
import { describeSmtpChannelContract } from '../testing/smtp-contract.ts';

// The contract suite over every registered channel. The list comes from the registry, and
// each channel's fixture from its own folder: a channel without one fails here.

const fixtures = new Map<string, ChannelFixture>();
for (const channel of listChannels()) {
  const file = path.join(import.meta.dirname, channel.type, 'fixture.ts');
  if (!fs.existsSync(file)) continue;
  const module = (await import(file)) as { fixture?: ChannelFixture };
  if (module.fixture !== undefined) fixtures.set(channel.type, module.fixture);
}

describe('alert channels', () => {
  it('every registered channel has a contract fixture in its folder', () => {
    const missing = listChannels()
      .filter((c) => !fixtures.has(c.type))
      .map((c) => c.type);
    assert.deepEqual(missing, [], 'channels without src/alerts/channels/<type>/fixture.ts');
  });
});

for (const channel of listChannels()) {
  const fixture = fixtures.get(channel.type);
  if (fixture?.kind === 'http') describeHttpChannelContract(channel, fixture);
  if (fixture?.kind === 'smtp') describeSmtpChannelContract(channel, fixture);
  if (fixture?.kind === 'command') describeCommandChannelContract(channel, fixture);
}

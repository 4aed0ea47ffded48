import { describeHttpChannelContract } from '../../testing/channel-contract.ts';
import { webhookFixture } from './fixture.ts';
import { slackChannel } from './index.ts';

// contract.itest.ts runs the bot-token mode (the folder's `fixture`); this runs the same
// contract over the incoming-webhook mode.
describeHttpChannelContract(slackChannel, webhookFixture);

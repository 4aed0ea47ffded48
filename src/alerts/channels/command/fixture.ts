import type { CommandChannelFixture } from '../../testing/channel-fixture.ts';

/** Exit codes as sysexits(3) defines them; 75 (EX_TEMPFAIL) asks for a retry. */
export const fixture: CommandChannelFixture = {
  kind: 'command',
  docs: ['https://man.freebsd.org/cgi/man.cgi?query=sysexits&sektion=3'],
  settings: ({ command, args, env }) => ({ command, args: [...args], env }),
  secrets: ['cmd-contract-token-0001'],
};

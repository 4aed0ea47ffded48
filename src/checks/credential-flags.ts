import type { CheckFlag } from './types.ts';

// Shared by ssh, redis, postgres, mysql, mqtt, smtp, imap and pop3: the CLI registers each flag
// string once, so all use one entry.

/** `--username`: the ssh login user, the redis ACL user, the postgres role, the mysql user, the mqtt user. */
export const usernameFlag: CheckFlag = {
  flags: '--username <name>',
  key: 'username',
  description:
    'user to log in as (ssh: with --password or --private-key; redis: ACL user; postgres: role, default postgres; mysql: default root; mqtt, smtp, imap, pop3: with --password)',
  kind: 'string',
};

/**
 * `--password`: masked wherever options are shown; like `--ca "$(cat …)"`, a value typed on a
 * command line is visible to local users, so stored monitors should come from a config file.
 */
export const passwordFlag: CheckFlag = {
  flags: '--password <secret>',
  key: 'password',
  description:
    'password to log in with (ssh, postgres, mysql, mqtt, smtp, imap, pop3) or AUTH with (redis); masked when shown',
  kind: 'string',
};

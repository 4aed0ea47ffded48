/**
 * Every check type Crosscheck knows; `checks/registry.ts` must have an entry for each. The list
 * lives in the domain (not in checks/) because a `Monitor` names its type and the domain imports
 * nothing above it.
 */
export const CHECK_TYPES = [
  'http',
  'https',
  'http_keyword',
  'http_json',
  'tcp',
  'dns',
  'icmp',
  'tls',
  'postgres',
  'udp',
  'websocket',
  'ssh',
  'redis',
  'grpc',
  'mysql',
  'mqtt',
  'smtp',
  'imap',
  'pop3',
  'domain',
  'push',
  'browser',
] as const;

export type CheckType = (typeof CHECK_TYPES)[number];

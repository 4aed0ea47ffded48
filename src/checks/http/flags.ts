import { degradedAfterFlag } from '../degraded-after.ts';
import { caFlag, insecureFlag } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';

/** CLI flags of every HTTP-family check type; http_keyword and http_json add their own. */
export const httpFlags: readonly CheckFlag[] = [
  {
    flags: '--method <method>',
    key: 'method',
    description: 'HTTP method (default GET)',
    kind: 'string',
  },
  {
    flags: '--header <name: value>',
    key: 'headers',
    description: 'request header, repeatable: --header "Authorization: Bearer …"',
    kind: 'list',
  },
  { flags: '--body <text>', key: 'body', description: 'request body', kind: 'string' },
  {
    flags: '--expect-status <codes>',
    key: 'expectedStatus',
    description: 'accepted status codes and ranges, e.g. 200-299,301 (default 200-399)',
    kind: 'string',
  },
  {
    // Commander gives `--no-x` flags the positive value (false when given), as the CLI expects.
    flags: '--no-follow',
    key: 'followRedirects',
    description: 'do not follow redirects (a 3xx is then judged as the response)',
    kind: 'boolean',
  },
  {
    flags: '--max-redirects <n>',
    key: 'maxRedirects',
    description: 'most redirects to follow, 0-20 (default 10)',
    kind: 'int',
  },
  insecureFlag,
  caFlag,
  degradedAfterFlag,
];

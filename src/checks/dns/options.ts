import { z } from 'zod';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { isHostname } from '../net-names.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { formatResolver, parseResolverAddress } from './resolver-address.ts';

/** Record types the dns check can query and print. */
export const DNS_RECORD_TYPES = [
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'TXT',
  'NS',
  'SOA',
  'SRV',
  'CAA',
] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export const MATCH_MODES = ['all', 'any'] as const;

/** The name to query; stored lower-case without the trailing dot. */
export const dnsTargetSchema = z.string().transform((text, ctx) => {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  if (!isHostname(name)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a valid DNS name` });
    return z.NEVER;
  }
  return name;
});

const recordTypeSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
  z.enum(DNS_RECORD_TYPES, { error: `must be one of ${DNS_RECORD_TYPES.join(', ')}` }),
);

const matchSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(MATCH_MODES, { error: 'must be "all" or "any"' }),
);

const resolverSchema = z.string().transform((text, ctx) => {
  const parsed = parseResolverAddress(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatResolver(parsed);
});

/** Expected answer values; the CLI's list may hold comma-separated entries (split later). */
const expectSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** Options of the `dns` check type (stored JSON shape). */
export const dnsOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      recordType: recordTypeSchema.default('A'),
      /** `ip[:port]`; the system's first nameserver when absent. */
      resolver: resolverSchema.optional(),
      /** Values the answers must contain (see `match`). */
      expect: expectSchema.default(() => []),
      match: matchSchema.default('any'),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .transform((options, ctx) => {
      const expect = splitExpected(options.recordType, options.expect);
      if (expect.some((value) => value === '')) {
        ctx.addIssue({ code: 'custom', path: ['expect'], message: 'values must not be empty' });
        return z.NEVER;
      }
      return { ...options, expect };
    }),
);

export type DnsOptions = z.output<typeof dnsOptionsSchema>;

/**
 * Splits `a,b` entries into values, except for TXT whose data often holds commas (DMARC, SPF):
 * TXT values come one per `--expect`.
 */
function splitExpected(recordType: DnsRecordType, values: string[]): string[] {
  const split = recordType === 'TXT' ? values : values.flatMap((value) => value.split(','));
  return split.map((value) => (recordType === 'TXT' ? value : value.trim()));
}

export const dnsFlags: readonly CheckFlag[] = [
  {
    flags: '--record-type <type>',
    key: 'recordType',
    description: `DNS record type to query: ${DNS_RECORD_TYPES.join(', ')} (default A)`,
    kind: 'string',
  },
  {
    flags: '--resolver <addr>',
    key: 'resolver',
    description: 'DNS server to ask, ip[:port] (default: first nameserver in /etc/resolv.conf)',
    kind: 'string',
  },
  expectFlag,
  {
    flags: '--match <mode>',
    key: 'match',
    description: 'with --expect: "any" expected value present (default) or "all" of them',
    kind: 'string',
  },
  degradedAfterFlag,
];

import { readFile } from 'node:fs/promises';
import type {
  CheckDetails,
  CheckResult,
  ErrorKind,
  PhaseTimings,
} from '../../domain/check-result.ts';
import { withDeadline, wasCancelled } from '../deadline.ts';
import {
  classifyNetworkError,
  degradedResult,
  downResult,
  nodeErrorResult,
  upResult,
} from '../outcome.ts';
import { printable } from '../tcp/banner.ts';
import { describeTlsError } from '../tls/describe-error.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { bootstrapSchema, domainQueryUrl, rdapBaseUrls } from './bootstrap.ts';
import { fetchRdap } from './fetch.ts';
import type { RdapFetch } from './fetch.ts';
import { domainFlags, domainOptionsSchema } from './options.ts';
import type { DomainOptions } from './options.ts';
import { parseDomainObject } from './rdap.ts';
import type { DomainFacts } from './rdap.ts';
import { domainTargetSchema } from './target.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The bootstrap file shipped next to this module (a subset of IANA's dns.json). */
const SHIPPED_BOOTSTRAP = new URL('./dns.json', import.meta.url);

/**
 * The `domain` check: registration expiry from the registry's RDAP server. Registries
 * rate-limit RDAP and an expiry date moves once a year, so it runs every 6 h by default and
 * no more often than hourly.
 */
export const domainCheck: CheckDefinition<DomainOptions> = {
  type: 'domain',
  description:
    'Domain registration expiry via RDAP: degraded inside the warning window, down once expired',
  targetSchema: domainTargetSchema,
  optionsSchema: domainOptionsSchema,
  defaultTimeoutMs: 15_000,
  defaultIntervalMs: 6 * HOUR_MS,
  minIntervalMs: HOUR_MS,
  flags: domainFlags,
  // An expiring registration is one domain's own matter, not an outage others share.
  sharedCauses: () => [],
  run: runDomainCheck,
};

async function runDomainCheck(
  domain: string,
  options: DomainOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const base = await rdapBase(domain, options);
  if ('error' in base) return nodeErrorResult(elapsed(), base.error);
  const url = domainQueryUrl(base.url, domain);
  const reply = await withDeadline(ctx, (signal) => fetchRdap({ url, ca: options.ca, signal }));
  const details: CheckDetails = { rdapUrl: reply.url };
  if (!reply.ok)
    return serverTrouble(
      ...transportFailure(reply, ctx, elapsed()),
      elapsed(),
      reply.timings,
      details,
    );
  if (reply.status === 404)
    return downResult(
      'assertion',
      elapsed(),
      `domain ${domain} not found (the registry's RDAP server answered 404)`,
      reply.timings,
      details,
    );
  if (reply.status !== 200)
    return serverTrouble(
      'status',
      `RDAP server answered HTTP ${reply.status}`,
      elapsed(),
      reply.timings,
      details,
    );
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return serverTrouble(
      'status',
      `RDAP server sent malformed JSON: "${printable(reply.body, 80)}"`,
      elapsed(),
      reply.timings,
      details,
    );
  }
  const facts = parseDomainObject(body);
  if ('error' in facts)
    return serverTrouble(
      'status',
      `RDAP server sent no domain object: ${facts.error}`,
      elapsed(),
      reply.timings,
      details,
    );
  return judgeExpiry(domain, facts, options, {
    latencyMs: elapsed(),
    timings: reply.timings,
    details,
  });
}

/** The RDAP base URL for the domain: the monitor's server, or the bootstrap file's entry. */
async function rdapBase(
  domain: string,
  options: DomainOptions,
): Promise<{ url: string } | { error: string }> {
  if (options.rdapServer !== undefined) return { url: options.rdapServer };
  const file = options.rdapBootstrap ?? SHIPPED_BOOTSTRAP;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      error: `cannot read the RDAP bootstrap file ${String(file)} (${String(code ?? error)})`,
    };
  }
  let parsed;
  try {
    parsed = bootstrapSchema.safeParse(JSON.parse(text));
  } catch {
    return { error: `the RDAP bootstrap file ${String(file)} is not JSON` };
  }
  if (!parsed.success)
    return { error: `the RDAP bootstrap file ${String(file)} is not an RFC 9224 registry` };
  const url = rdapBaseUrls(parsed.data, domain)[0];
  if (url === undefined)
    return {
      error: `no RDAP server known for .${domain.split('.').at(-1) ?? ''} in the bootstrap file: set rdapServer (--rdap-server) or rdapBootstrap`,
    };
  return { url };
}

/** Why no reply arrived: the deadline, a refused or broken connection, TLS, a referral loop. */
function transportFailure(
  reply: Extract<RdapFetch, { ok: false }>,
  ctx: CheckContext,
  latencyMs: number,
): [ErrorKind, string] {
  if (reply.reason === 'too-many-redirects')
    return ['status', 'RDAP server referred the query too many times'];
  if (reply.reason === 'too-large') return ['status', 'RDAP reply larger than 1 MB'];
  const { kind, message } = classifyNetworkError(reply.error);
  if (kind === 'timeout' || ctx.signal.aborted)
    return [
      'timeout',
      wasCancelled(ctx, latencyMs)
        ? `check cancelled after ${Math.round(latencyMs)} ms`
        : `RDAP server did not answer within ${ctx.timeoutMs} ms`,
    ];
  if (kind === 'tls') return ['tls', `RDAP server ${describeTlsError(reply.error)}`];
  return [kind, `RDAP server unreachable: ${message}`];
}

/**
 * The RDAP server, not the domain, failed: status `error` (an abstention). A registry's outage
 * or rate limit says nothing about the registration, so it must not page anyone as "down".
 */
function serverTrouble(
  kind: ErrorKind,
  message: string,
  latencyMs: number,
  timings: PhaseTimings,
  details: CheckDetails,
): CheckResult {
  return { ...downResult(kind, latencyMs, message, timings, details), status: 'error' };
}

interface Answer {
  latencyMs: number;
  timings: PhaseTimings;
  details: CheckDetails;
}

/** Up far from expiry, degraded inside the warning window, down once expired. */
export function judgeExpiry(
  domain: string,
  facts: DomainFacts,
  options: DomainOptions,
  answer: Answer,
  now = Date.now(),
): CheckResult {
  const { latencyMs, timings } = answer;
  const expiresAt = facts.expiresAt;
  const daysLeft = expiresAt === null ? null : Math.floor((expiresAt.getTime() - now) / DAY_MS);
  const details: CheckDetails = {
    ...answer.details,
    expiresAt: expiresAt?.toISOString() ?? null,
    daysLeft,
    registrar: facts.registrar,
    domainStatus: facts.status,
  };
  if (expiresAt === null)
    return upResult(
      latencyMs,
      `${domain} is registered; its registry publishes no expiry date`,
      timings,
      details,
    );
  const date = expiresAt.toISOString().slice(0, 10);
  if (expiresAt.getTime() <= now)
    return downResult('assertion', latencyMs, `${domain} expired on ${date}`, timings, details);
  if (expiresAt.getTime() - now <= options.expiryWarningMs)
    return degradedResult(
      latencyMs,
      `${domain} expires on ${date} (in ${daysText(daysLeft ?? 0)})`,
      timings,
      details,
    );
  return upResult(
    latencyMs,
    `${domain} registered until ${date} (${daysText(daysLeft ?? 0)} left)`,
    timings,
    details,
  );
}

function daysText(days: number): string {
  if (days <= 0) return 'less than a day';
  return days === 1 ? '1 day' : `${days} days`;
}

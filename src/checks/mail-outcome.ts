import type { CheckDetails, CheckResult, ErrorKind } from '../domain/check-result.ts';
import { wasCancelled } from './deadline.ts';
import { answeredResult } from './degraded-after.ts';
import type { MailOptions } from './mail-options.ts';
import type { MailPhase, MailProbe } from './mail-probe.ts';
import { classifyNetworkError, downResult } from './outcome.ts';
import { patternFailure } from './pattern-evaluator.ts';
import { bannerMatcher, describePattern, parseBannerPattern, printable } from './tcp/banner.ts';
import { describeTlsError } from './tls/describe-error.ts';
import type { CheckContext } from './types.ts';

// One way to turn what a smtp, imap or pop3 probe saw into the shared result shape.

const PHASE_TEXT: Record<MailPhase, string> = {
  dns: 'the DNS lookup',
  connect: 'connecting',
  tls: 'the TLS handshake',
  banner: 'the greeting',
  capabilities: 'the capability list',
  starttls: 'STARTTLS',
  login: 'login',
  logout: 'logout',
};

export interface MailRunFacts {
  /** `SMTP`, `IMAP`, `POP3`, for messages. */
  protocol: string;
  started: number;
  ctx: CheckContext;
}

/** The probe's result: up (or degraded when slow), or down with the reason a user can act on. */
export async function describeMailProbe(
  probe: MailProbe,
  options: MailOptions,
  facts: MailRunFacts,
): Promise<CheckResult> {
  const details = mailDetails(probe, options);
  const latencyMs = (): number => performance.now() - facts.started;
  const down = (kind: ErrorKind, message: string): CheckResult =>
    downResult(kind, latencyMs(), message, probe.timings, details);
  if (probe.end !== 'ok') return down(...failure(probe, options, facts, latencyMs()));
  if (options.expect !== undefined) {
    const mismatch = await bannerMismatch(probe.banner ?? '', options.expect, facts.ctx);
    if (mismatch !== undefined) return down(mismatch.kind, mismatch.message);
  }
  const steps = [
    probe.tlsUsed === 'none'
      ? 'greeting'
      : `greeting over ${probe.tlsUsed === 'implicit' ? 'TLS' : 'STARTTLS'}`,
    ...(options.username === undefined ? [] : [`login as ${options.username}`]),
  ];
  const message = `${facts.protocol} ${steps.join(' and ')} in ${Math.round(latencyMs())} ms`;
  return answeredResult(latencyMs(), message, options.degradedThresholdMs, probe.timings, details);
}

function mailDetails(probe: MailProbe, options: MailOptions): CheckDetails {
  return {
    address: probe.address ?? null,
    banner: probe.banner === undefined ? null : printable(probe.banner, 200),
    tls: probe.tlsUsed,
    tlsProtocol: probe.tls?.protocol ?? null,
    certExpiresAt: probe.tls?.certExpiresAt ?? null,
    certDaysLeft: probe.tls?.certDaysLeft ?? null,
    capabilities: probe.capabilities.slice(0, 50),
    ...(options.username === undefined ? {} : { username: options.username }),
  };
}

function failure(
  probe: MailProbe,
  options: MailOptions,
  facts: MailRunFacts,
  latencyMs: number,
): [ErrorKind, string] {
  const reply = `"${printable(probe.reply ?? '', 160)}"`;
  const { protocol } = facts;
  switch (probe.end) {
    case 'rejected':
      return ['assertion', `${protocol} server refused ${PHASE_TEXT[probe.phase]}: ${reply}`];
    case 'auth':
      return ['assertion', `login as ${options.username ?? ''} failed: ${reply}`];
    case 'no-starttls':
      return ['assertion', `STARTTLS is required but the ${protocol} server does not offer it`];
    case 'plaintext-login':
      return [
        'assertion',
        `the ${protocol} server offers no TLS: not sending the password in clear text (use --tls off to allow it)`,
      ];
    case 'no-auth-mechanism':
      return [
        'assertion',
        `the ${protocol} server offers no login method this check speaks: ${reply}`,
      ];
    case 'not-protocol':
      return [
        'assertion',
        `the server does not speak ${protocol}: got "${printable((probe.phase === 'banner' ? probe.banner : probe.reply) ?? '', 120)}"`,
      ];
    case 'closed':
      return ['network', `connection closed by the server during ${PHASE_TEXT[probe.phase]}`];
    case 'aborted':
      return ['timeout', timeoutMessage(probe, facts, latencyMs)];
    case 'error':
      return socketFailure(probe);
    case 'ok':
      throw new Error('an ok probe is not a failure');
  }
}

function socketFailure(probe: MailProbe): [ErrorKind, string] {
  const { kind, message } = classifyNetworkError(probe.error);
  if (probe.phase === 'dns') return ['dns', message];
  if (kind === 'tls' || probe.phase === 'tls' || probe.phase === 'starttls')
    return ['tls', `${describeTlsError(probe.error)} during ${PHASE_TEXT[probe.phase]}`];
  return [kind, message];
}

function timeoutMessage(probe: MailProbe, facts: MailRunFacts, latencyMs: number): string {
  const during = PHASE_TEXT[probe.phase];
  if (wasCancelled(facts.ctx, latencyMs))
    return `check cancelled after ${Math.round(latencyMs)} ms during ${during}`;
  const limit = `${facts.ctx.timeoutMs} ms`;
  if (probe.phase === 'banner') return `no ${facts.protocol} greeting received within ${limit}`;
  return `${during} did not finish within ${limit}`;
}

async function bannerMismatch(
  banner: string,
  expected: string,
  ctx: CheckContext,
): Promise<{ kind: ErrorKind; message: string } | undefined> {
  const pattern = parseBannerPattern(expected);
  // The schema validated the pattern; an invalid one cannot reach here.
  if ('error' in pattern) return { kind: 'assertion', message: pattern.error };
  const outcome = await bannerMatcher(pattern, ctx.patterns, ctx.signal)(banner);
  if (outcome.status === 'cancelled')
    return { kind: 'timeout', message: 'check cancelled while matching the greeting' };
  if (outcome.status !== 'done') {
    const failed = patternFailure(outcome, expected, banner.length);
    return { kind: failed.errorKind, message: failed.message };
  }
  if (outcome.value) return undefined;
  return {
    kind: 'assertion',
    message: `greeting "${printable(banner, 120)}" does not match ${describePattern(pattern)}`,
  };
}

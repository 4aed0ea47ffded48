import type { CheckResult } from '../../domain/check-result.ts';
import { withDeadline, wasCancelled } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { printable } from '../tcp/banner.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { SshOptions } from './options.ts';
import { redactSshOptions, SSH_SECRET_OPTIONS, sshFlags, sshOptionsSchema } from './options.ts';
import type { SshProbe } from './probe.ts';
import { probeSsh } from './probe.ts';
import { parseSshTarget, sshTargetSchema } from './target.ts';

/** The `ssh` check: identification banner, host key (optionally pinned), optional login. */
export const sshCheck: CheckDefinition<SshOptions> = {
  type: 'ssh',
  description: 'SSH banner and host key (optionally pinned by fingerprint), optionally a login',
  targetSchema: sshTargetSchema,
  optionsSchema: sshOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: sshFlags,
  secretOptions: SSH_SECRET_OPTIONS,
  redact: redactSshOptions,
  run: runSshCheck,
};

async function runSshCheck(
  target: string,
  options: SshOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseSshTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const login =
    options.username === undefined
      ? undefined
      : {
          username: options.username,
          ...(options.password === undefined ? {} : { password: options.password }),
          ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
        };
  const probe = await withDeadline(ctx, (signal) =>
    probeSsh({ ...address, hostKeys: options.hostKey ?? [], login, signal }),
  );
  const latencyMs = performance.now() - started;
  return describeProbe(probe, options, {
    latencyMs,
    timeoutMs: ctx.timeoutMs,
    cancelled: wasCancelled(ctx, latencyMs),
  });
}

interface RunFacts {
  latencyMs: number;
  timeoutMs: number;
  cancelled: boolean;
}

/** Turns what the probe saw into the one result shape. */
export function describeProbe(probe: SshProbe, options: SshOptions, facts: RunFacts): CheckResult {
  const { latencyMs } = facts;
  const { timings } = probe;
  const details = {
    address: probe.address ?? null,
    banner: probe.ident === undefined ? null : printable(probe.ident.line),
    hostKey: probe.hostKey?.fingerprint ?? null,
    hostKeyType: probe.hostKey?.type ?? null,
    ...(options.username === undefined ? {} : { username: options.username }),
  };
  const down = (kind: Parameters<typeof downResult>[0], message: string): CheckResult =>
    downResult(kind, latencyMs, message, timings, details);
  switch (probe.end) {
    case 'ok': {
      const banner = probe.ident?.line ?? '';
      if (options.expect !== undefined && !banner.includes(options.expect))
        return down(
          'assertion',
          `banner "${printable(banner)}" does not contain "${printable(options.expect)}"`,
        );
      const what =
        options.username === undefined
          ? 'SSH banner and host key'
          : `logged in as ${options.username}`;
      const message = `${what} in ${Math.round(latencyMs)} ms`;
      return answeredResult(latencyMs, message, options.degradedThresholdMs, timings, details);
    }
    case 'host-key': {
      const expected = (options.hostKey ?? []).join(' or ');
      return down(
        'assertion',
        `host key changed: expected ${expected}, got ${details.hostKey ?? 'none'}`,
      );
    }
    case 'auth':
      return down(
        'assertion',
        `login as ${options.username ?? ''} failed: the server refused the ${credentialNames(options)}`,
      );
    case 'not-ssh':
      return down('assertion', `not an SSH server: got "${printable(probe.preIdent)}"`);
    case 'closed':
      return down(
        'network',
        probe.phase === 'banner'
          ? 'connection closed by the server before its SSH banner'
          : `connection closed by the server during ${phaseName(probe)}`,
      );
    case 'kex':
      return down('network', `key exchange failed: ${errorText(probe.error)}`);
    case 'aborted':
      return down('timeout', timeoutMessage(probe, facts));
    case 'error': {
      const { kind, message } = classifyNetworkError(probe.error);
      return down(probe.phase === 'dns' ? 'dns' : kind, message);
    }
  }
}

function credentialNames(options: SshOptions): string {
  if (options.password !== undefined && options.privateKey !== undefined)
    return 'password and the private key';
  return options.password !== undefined ? 'password' : 'private key';
}

function phaseName(probe: SshProbe): string {
  return probe.phase === 'kex'
    ? 'the key exchange'
    : probe.phase === 'auth'
      ? 'login'
      : probe.phase;
}

function timeoutMessage(probe: SshProbe, facts: RunFacts): string {
  if (facts.cancelled)
    return `check cancelled after ${Math.round(facts.latencyMs)} ms during ${phaseName(probe)}`;
  const limit = `${facts.timeoutMs} ms`;
  if (probe.phase === 'dns') return `DNS lookup did not finish within ${limit}`;
  if (probe.phase === 'connect') return `connection not established within ${limit}`;
  if (probe.phase === 'banner')
    return probe.preIdent === ''
      ? `no SSH banner received within ${limit}`
      : `no SSH banner within ${limit}, got "${printable(probe.preIdent)}"`;
  return `${phaseName(probe)} did not finish within ${limit}`;
}

function errorText(error: unknown): string {
  return printable(error instanceof Error ? error.message : String(error));
}

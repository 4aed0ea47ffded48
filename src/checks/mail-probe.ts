import { setTimeout as sleep } from 'node:timers/promises';
import type { PhaseTimings } from '../domain/check-result.ts';
import type { MailTlsMode } from './mail-options.ts';
import { MailSessionError, openMailSession } from './mail-session.ts';
import type { MailSession, MailTlsFacts, MailTlsSettings } from './mail-session.ts';

// The frame of one smtp/imap/pop3 probe: open the session, run the protocol's dialogue, map a
// transport failure to the probe's end, and always close. The dialogues live in each type's
// folder and only say what to send and how to read the replies.

export type MailPhase =
  'dns' | 'connect' | 'tls' | 'banner' | 'capabilities' | 'starttls' | 'login' | 'logout';

/**
 * How a probe ended. `rejected`: the server answered the current phase with an error reply
 * (a 554 greeting, a refused STARTTLS); `auth`: it refused the credentials; `no-starttls`: TLS
 * was required but not offered; `plaintext-login`: a login would have sent the password in
 * clear text (allowed only with `--tls off`); `no-auth-mechanism`: no login method we speak;
 * `not-protocol`: the server does not speak the protocol; `closed`: it hung up.
 */
export type MailProbeEnd =
  | 'ok'
  | 'rejected'
  | 'auth'
  | 'no-starttls'
  | 'plaintext-login'
  | 'no-auth-mechanism'
  | 'not-protocol'
  | 'closed'
  | 'aborted'
  | 'error';

/** What the dialogue saw so far; it fills this in as it goes. */
export interface MailProbeState {
  phase: MailPhase;
  /** The greeting line as received. */
  banner: string | undefined;
  /** The server's last reply, for messages about a rejection. */
  reply: string | undefined;
  capabilities: string[];
  tlsUsed: 'implicit' | 'starttls' | 'none';
}

export interface MailProbe extends MailProbeState {
  end: MailProbeEnd;
  timings: PhaseTimings;
  address: string | undefined;
  tls: MailTlsFacts | undefined;
  error?: unknown;
}

export interface MailLogin {
  username: string;
  password: string;
}

export interface MailProbeRequest {
  host: string;
  port: number;
  /** Already resolved by `effectiveTlsMode`: `auto` means STARTTLS when offered. */
  mode: MailTlsMode;
  tls: MailTlsSettings;
  login: MailLogin | undefined;
  signal: AbortSignal;
}

/** One protocol's conversation after connecting; returns how it ended. */
export type MailDialogue = (
  session: MailSession,
  state: MailProbeState,
  request: MailProbeRequest,
) => Promise<MailProbeEnd>;

/** Opens the connection, runs the dialogue, and closes the connection whatever happened. */
export async function runMailProbe(
  request: MailProbeRequest,
  dialogue: MailDialogue,
): Promise<MailProbe> {
  const timings: PhaseTimings = {};
  const implicitTls = request.mode === 'implicit';
  const state: MailProbeState = {
    phase: 'dns',
    banner: undefined,
    reply: undefined,
    capabilities: [],
    tlsUsed: implicitTls ? 'implicit' : 'none',
  };
  let session: MailSession | undefined;
  const probe = (end: MailProbeEnd, error?: unknown): MailProbe => ({
    ...state,
    end,
    timings,
    address: session?.address,
    tls: session?.tlsFacts(),
    ...(error === undefined ? {} : { error }),
  });
  try {
    session = await openMailSession({ ...request, implicitTls }, timings);
    state.phase = 'banner';
    return probe(await dialogue(session, state, request));
  } catch (error) {
    if (!(error instanceof MailSessionError)) throw error;
    if (session === undefined) state.phase = openingPhase(error, timings);
    return probe(endOfFailure(error), error.socketError);
  } finally {
    session?.close();
  }
}

/** Where opening the connection stopped, from the phases it timed. */
function openingPhase(error: MailSessionError, timings: PhaseTimings): MailPhase {
  if (error.duringLookup) return 'dns';
  return timings.connectMs === undefined ? 'connect' : 'tls';
}

function endOfFailure(error: MailSessionError): MailProbeEnd {
  switch (error.failure) {
    case 'aborted':
      return 'aborted';
    case 'closed':
      return 'closed';
    case 'line-too-long':
      return 'not-protocol';
    case 'socket':
      return 'error';
  }
}

/**
 * Whether to upgrade with STARTTLS/STLS, given the mode and whether the server offers it, or
 * the end when a requirement cannot be met.
 */
export function startTlsDecision(
  mode: MailTlsMode,
  offered: boolean,
): 'upgrade' | 'skip' | 'no-starttls' {
  if (mode === 'implicit' || mode === 'off') return 'skip';
  if (offered) return 'upgrade';
  return mode === 'starttls' ? 'no-starttls' : 'skip';
}

/** A login over plain text sends the password in clear: only `--tls off` allows it. */
export function loginAllowed(request: MailProbeRequest, state: MailProbeState): boolean {
  return state.tlsUsed !== 'none' || request.mode === 'off';
}

/** How long a polite goodbye (QUIT, LOGOUT) may take: the check has its answer already. */
const GOODBYE_GRACE_MS = 1000;

/**
 * Sends the goodbye and waits briefly for its reply, so the server closes first; a server that
 * hangs up at once, or never answers, changes nothing about the result.
 */
export async function sayGoodbye(
  state: MailProbeState,
  goodbye: () => Promise<unknown>,
): Promise<void> {
  state.phase = 'logout';
  const reply = state.reply;
  const grace = new AbortController();
  await Promise.race([
    goodbye().catch(() => undefined),
    sleep(GOODBYE_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
  ]);
  grace.abort();
  state.reply = reply;
}

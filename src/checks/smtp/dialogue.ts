import { hostname } from 'node:os';
import type { MailDialogue, MailLogin, MailProbeEnd, MailProbeState } from '../mail-probe.ts';
import { loginAllowed, sayGoodbye, startTlsDecision } from '../mail-probe.ts';
import type { MailSession } from '../mail-session.ts';
import { isHostname } from '../net-names.ts';
import { authMechanisms, ehloKeywords, parseReplyLine, plainCredentials } from './reply.ts';
import type { SmtpReply } from './reply.ts';

/** Most lines one reply may have: an EHLO lists a dozen extensions; more means a runaway server. */
const MAX_REPLY_LINES = 200;

/** Reads one whole reply, or undefined when the server sent something that is not SMTP. */
async function readReply(
  session: MailSession,
  state: MailProbeState,
): Promise<SmtpReply | undefined> {
  const lines: string[] = [];
  for (let count = 0; count < MAX_REPLY_LINES; count++) {
    const raw = await session.readLine();
    const line = parseReplyLine(raw);
    if (line === undefined) {
      state.reply = raw;
      return undefined;
    }
    lines.push(line.text);
    if (line.last) {
      state.reply = raw;
      return { code: line.code, lines };
    }
  }
  return undefined;
}

/** Sends a command and reads its reply. */
async function command(
  session: MailSession,
  state: MailProbeState,
  line: string,
): Promise<SmtpReply | undefined> {
  session.send(line);
  return readReply(session, state);
}

/** The name we greet with: this node's host name when it is a valid one (RFC 5321 §4.1.1.1). */
function ehloName(): string {
  const name = hostname();
  return isHostname(name) ? name : 'localhost';
}

/** EHLO (HELO when a very old server refuses it); the capability keywords, or how it ended. */
async function greet(
  session: MailSession,
  state: MailProbeState,
): Promise<SmtpReply | MailProbeEnd> {
  state.phase = 'capabilities';
  const ehlo = await command(session, state, `EHLO ${ehloName()}`);
  if (ehlo === undefined) return 'not-protocol';
  if (ehlo.code === 250) {
    state.capabilities = ehloKeywords(ehlo);
    return ehlo;
  }
  const helo = await command(session, state, `HELO ${ehloName()}`);
  if (helo === undefined) return 'not-protocol';
  if (helo.code !== 250) return 'rejected';
  state.capabilities = [];
  return helo;
}

/** AUTH PLAIN, or AUTH LOGIN when that is all the server offers. */
async function authenticate(
  session: MailSession,
  state: MailProbeState,
  ehlo: SmtpReply,
  login: MailLogin,
): Promise<MailProbeEnd> {
  state.phase = 'login';
  const mechanisms = authMechanisms(ehlo);
  let reply: SmtpReply | undefined;
  if (mechanisms.includes('PLAIN'))
    reply = await command(
      session,
      state,
      `AUTH PLAIN ${plainCredentials(login.username, login.password)}`,
    );
  else if (mechanisms.includes('LOGIN')) {
    reply = await command(session, state, 'AUTH LOGIN');
    if (reply?.code === 334)
      reply = await command(session, state, Buffer.from(login.username).toString('base64'));
    if (reply?.code === 334)
      reply = await command(session, state, Buffer.from(login.password).toString('base64'));
  } else {
    state.reply = mechanisms.length === 0 ? 'no AUTH extension' : `AUTH ${mechanisms.join(' ')}`;
    return 'no-auth-mechanism';
  }
  if (reply === undefined) return 'not-protocol';
  if (reply.code === 235) return 'ok';
  // 535: credentials invalid; 534/538: mechanism too weak or encryption required — all say
  // this login does not work. A 4xx is the server's temporary trouble, reported as it came.
  return reply.code >= 500 ? 'auth' : 'rejected';
}

/** Greeting, EHLO, STARTTLS (per mode), EHLO again, AUTH when asked, QUIT. */
export const smtpDialogue: MailDialogue = async (session, state, request) => {
  const banner = await readReply(session, state);
  state.banner = state.reply;
  if (banner === undefined) return 'not-protocol';
  if (banner.code !== 220) return 'rejected';
  let ehlo = await greet(session, state);
  if (typeof ehlo === 'string') return ehlo;
  const decision = startTlsDecision(request.mode, state.capabilities.includes('STARTTLS'));
  if (decision === 'no-starttls') return decision;
  if (decision === 'upgrade') {
    state.phase = 'starttls';
    const ready = await command(session, state, 'STARTTLS');
    if (ready === undefined) return 'not-protocol';
    if (ready.code !== 220) return 'rejected';
    await session.startTls();
    state.tlsUsed = 'starttls';
    ehlo = await greet(session, state);
    if (typeof ehlo === 'string') return ehlo;
  }
  if (request.login !== undefined) {
    if (!loginAllowed(request, state)) return 'plaintext-login';
    const end = await authenticate(session, state, ehlo, request.login);
    if (end !== 'ok') return end;
  }
  await sayGoodbye(state, () => command(session, state, 'QUIT'));
  return 'ok';
};

import type { MailDialogue, MailProbeEnd, MailProbeState } from '../mail-probe.ts';
import { loginAllowed, sayGoodbye, startTlsDecision } from '../mail-probe.ts';
import type { MailSession } from '../mail-session.ts';
import { capabilitiesIn, parseCompletion, parseGreeting, quoted } from './response.ts';
import type { ImapCompletion } from './response.ts';

/** Most untagged lines before a completion: CAPABILITY and LOGIN send a handful. */
const MAX_UNTAGGED = 200;

/** Sends a tagged command and reads up to its completion, collecting capabilities on the way. */
async function command(
  session: MailSession,
  state: MailProbeState,
  tag: string,
  text: string,
): Promise<ImapCompletion | undefined> {
  session.send(`${tag} ${text}`);
  for (let count = 0; count < MAX_UNTAGGED; count++) {
    const line = await session.readLine();
    const capabilities = capabilitiesIn(line);
    if (capabilities !== undefined) state.capabilities = capabilities;
    const completion = parseCompletion(tag, line);
    if (completion !== undefined) {
      // The password never appears in a reply; the command line (with it) is not kept.
      state.reply = line;
      return completion;
    }
    if (line.startsWith(`${tag} `) || !/^[*+] /.test(line)) {
      state.reply = line;
      return undefined;
    }
  }
  return undefined;
}

/** CAPABILITY, unless the last response already listed them. */
async function capabilities(
  session: MailSession,
  state: MailProbeState,
  next: () => string,
): Promise<MailProbeEnd | undefined> {
  state.phase = 'capabilities';
  const done = await command(session, state, next(), 'CAPABILITY');
  if (done === undefined) return 'not-protocol';
  return done.status === 'OK' ? undefined : 'rejected';
}

/** Greeting, CAPABILITY, STARTTLS (per mode), CAPABILITY again, LOGIN when asked, LOGOUT. */
export const imapDialogue: MailDialogue = async (session, state, request) => {
  let counter = 0;
  const next = (): string => `a${++counter}`;
  const greeting = await session.readLine();
  state.banner = greeting;
  state.reply = greeting;
  const condition = parseGreeting(greeting);
  if (condition === undefined) return 'not-protocol';
  if (condition === 'BYE') return 'rejected';
  let end = await capabilities(session, state, next);
  if (end !== undefined) return end;
  const decision = startTlsDecision(request.mode, state.capabilities.includes('STARTTLS'));
  if (decision === 'no-starttls') return decision;
  if (decision === 'upgrade') {
    state.phase = 'starttls';
    const ready = await command(session, state, next(), 'STARTTLS');
    if (ready === undefined) return 'not-protocol';
    if (ready.status !== 'OK') return 'rejected';
    await session.startTls();
    state.tlsUsed = 'starttls';
    // Capabilities seen before TLS may have been forged (RFC 9051 §6.2.1): ask again.
    end = await capabilities(session, state, next);
    if (end !== undefined) return end;
  }
  if (request.login !== undefined && condition !== 'PREAUTH') {
    if (!loginAllowed(request, state)) return 'plaintext-login';
    state.phase = 'login';
    if (state.capabilities.includes('LOGINDISABLED')) {
      state.reply = 'LOGINDISABLED';
      return 'no-auth-mechanism';
    }
    const { username, password } = request.login;
    const done = await command(
      session,
      state,
      next(),
      `LOGIN ${quoted(username)} ${quoted(password)}`,
    );
    if (done === undefined) return 'not-protocol';
    if (done.status !== 'OK') return done.status === 'NO' ? 'auth' : 'rejected';
  }
  await sayGoodbye(state, () => command(session, state, next(), 'LOGOUT'));
  return 'ok';
};

import type { MailDialogue, MailProbeEnd, MailProbeState } from '../mail-probe.ts';
import { loginAllowed, sayGoodbye, startTlsDecision } from '../mail-probe.ts';
import type { MailSession } from '../mail-session.ts';
import { capaNames, multiLineItem, parseStatus } from './response.ts';

/** Most CAPA lines read: a server lists about ten. */
const MAX_CAPA_LINES = 200;

/** Sends a command and reads its status line (not kept when it may echo a secret). */
async function command(
  session: MailSession,
  state: MailProbeState,
  line: string,
): Promise<{ ok: boolean } | undefined> {
  session.send(line);
  const reply = await session.readLine();
  state.reply = reply;
  return parseStatus(reply);
}

/** CAPA (RFC 2449); a server without it answers -ERR and simply has no listed capabilities. */
async function capa(
  session: MailSession,
  state: MailProbeState,
): Promise<MailProbeEnd | undefined> {
  state.phase = 'capabilities';
  const status = await command(session, state, 'CAPA');
  if (status === undefined) return 'not-protocol';
  if (!status.ok) {
    state.capabilities = [];
    return undefined;
  }
  const lines: string[] = [];
  for (let count = 0; count < MAX_CAPA_LINES; count++) {
    const item = multiLineItem(await session.readLine());
    if (item.done) {
      state.capabilities = capaNames(lines);
      return undefined;
    }
    lines.push(item.text);
  }
  return 'not-protocol';
}

/** Greeting, CAPA, STLS (per mode), CAPA again, USER/PASS when asked, QUIT. */
export const pop3Dialogue: MailDialogue = async (session, state, request) => {
  const greeting = await session.readLine();
  state.banner = greeting;
  state.reply = greeting;
  const status = parseStatus(greeting);
  if (status === undefined) return 'not-protocol';
  if (!status.ok) return 'rejected';
  let end = await capa(session, state);
  if (end !== undefined) return end;
  const decision = startTlsDecision(request.mode, state.capabilities.includes('STLS'));
  if (decision === 'no-starttls') return decision;
  if (decision === 'upgrade') {
    state.phase = 'starttls';
    const ready = await command(session, state, 'STLS');
    if (ready === undefined) return 'not-protocol';
    if (!ready.ok) return 'rejected';
    await session.startTls();
    state.tlsUsed = 'starttls';
    // What was listed before TLS may have been forged: ask again over the secure channel.
    end = await capa(session, state);
    if (end !== undefined) return end;
  }
  if (request.login !== undefined) {
    if (!loginAllowed(request, state)) return 'plaintext-login';
    state.phase = 'login';
    const user = await command(session, state, `USER ${request.login.username}`);
    if (user === undefined) return 'not-protocol';
    if (!user.ok) return 'auth';
    const pass = await command(session, state, `PASS ${request.login.password}`);
    if (pass === undefined) return 'not-protocol';
    if (!pass.ok) return 'auth';
  }
  await sayGoodbye(state, () => command(session, state, 'QUIT'));
  return 'ok';
};

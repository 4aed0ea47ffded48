import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One mail as the local SMTP server received it. */
export interface ReceivedMail {
  /** Envelope sender and recipients (MAIL FROM, RCPT TO). */
  envelope: { from: string; to: string[] };
  /** True when the session was encrypted (TLS from the start or after STARTTLS). */
  secure: boolean;
  /** The user that logged in, and how (AUTH PLAIN or LOGIN). */
  user: string | undefined;
  authMethod: string | undefined;
  /** The message as mailparser reads it back. */
  mail: ParsedMail;
}

/** A reply the server gives instead of accepting, at one SMTP stage. */
export interface PlannedReply {
  stage: 'rcpt' | 'data';
  code: number;
  message: string;
}

export interface SmtpProvider {
  readonly host: string;
  readonly port: number;
  readonly security: 'starttls' | 'tls';
  readonly mails: ReceivedMail[];
  /** The next mail gets this reply at its stage (every recipient, for RCPT) instead of being accepted. */
  replyNext(reply: PlannedReply): void;
  close(): Promise<void>;
}

export interface SmtpProviderOptions {
  /** `starttls`: plain listener that offers STARTTLS and refuses AUTH before it; `tls`: TLS from the start. */
  security: 'starttls' | 'tls';
  certPem: string;
  keyPem: string;
  /** The only login accepted (AUTH PLAIN or LOGIN). */
  login: { username: string; password: string };
}

/** Largest message accepted; the huge-alert case stays far below it. */
const MAX_SIZE = 10 * 1024 * 1024;

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, port 0, that demands a login over an
 * encrypted session and parses every accepted mail back with mailparser.
 */
export async function startSmtpProvider(options: SmtpProviderOptions): Promise<SmtpProvider> {
  const mails: ReceivedMail[] = [];
  const authMethods = new Map<string, string>();
  /** A planned RCPT reply refuses every recipient of its session, so the whole mail fails. */
  const refusingSessions = new Map<string, PlannedReply>();
  const planned: PlannedReply[] = [];
  const takePlanned = (stage: PlannedReply['stage']): PlannedReply | undefined => {
    const next = planned[0];
    if (next?.stage !== stage) return undefined;
    planned.shift();
    return next;
  };
  const server = new SMTPServer({
    secure: options.security === 'tls',
    key: options.keyPem,
    cert: options.certPem,
    authMethods: ['PLAIN', 'LOGIN'],
    // Default, stated: no login before the session is encrypted.
    allowInsecureAuth: false,
    size: MAX_SIZE,
    logger: false,
    onAuth(auth, session, callback) {
      const { username, password } = options.login;
      if (auth.username === username && auth.password === password) {
        authMethods.set(session.id, auth.method);
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, session, callback) {
      const reply = refusingSessions.get(session.id) ?? takePlanned('rcpt');
      if (reply !== undefined) refusingSessions.set(session.id, reply);
      callback(reply === undefined ? null : smtpReply(reply));
    },
    onData(stream, session, callback) {
      const reply = takePlanned('data');
      simpleParser(stream)
        .then((mail) => {
          if (reply !== undefined) return callback(smtpReply(reply));
          mails.push(receivedMail(session, mail, authMethods.get(session.id)));
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error('parse')));
    },
  });
  server.on('error', () => {
    // Client disconnects (the timeout and abort cases) surface here; they are expected.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    security: options.security,
    mails,
    replyNext(reply) {
      planned.push(reply);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function smtpReply(reply: PlannedReply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

function receivedMail(
  session: SMTPServerSession,
  mail: ParsedMail,
  authMethod: string | undefined,
): ReceivedMail {
  return {
    envelope: {
      from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
      to: session.envelope.rcptTo.map((r) => r.address),
    },
    secure: session.secure,
    user: typeof session.user === 'string' ? session.user : undefined,
    authMethod,
    mail,
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and never says a word (no greeting). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

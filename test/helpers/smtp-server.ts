import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { PemPair } from './certs.ts';

/** How the test SMTP server behaves. */
export interface TestSmtpOptions {
  /** Certificate for STARTTLS (or implicit TLS with `implicitTls`). */
  cert: PemPair;
  /** TLS from the first byte (smtps). */
  implicitTls?: boolean;
  /** Do not offer STARTTLS (a server that only speaks plain text). */
  noStartTls?: boolean;
  /** The only login accepted (AUTH PLAIN or LOGIN). */
  login: { username: string; password: string };
}

/** A running smtp-server on 127.0.0.1; `target` is `127.0.0.1:PORT`. */
export interface TestSmtpServer {
  port: number;
  target: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections the server still holds open. */
  openConnections(): number;
  close(): Promise<void>;
}

/** Starts a real SMTP server (smtp-server) on an ephemeral loopback port. */
export async function startSmtpServer(options: TestSmtpOptions): Promise<TestSmtpServer> {
  let accepted = 0;
  const server = new SMTPServer({
    secure: options.implicitTls === true,
    key: options.cert.keyPem,
    cert: options.cert.certPem,
    hideSTARTTLS: options.noStartTls === true,
    authMethods: ['PLAIN', 'LOGIN'],
    // A plain-text-only server still takes logins (the check refuses to send them in clear).
    allowInsecureAuth: options.noStartTls === true,
    banner: 'Crosscheck test ESMTP',
    logger: false,
    onConnect(_session, callback) {
      accepted += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      const { username, password } = options.login;
      if (auth.username === username && auth.password === password) {
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
  });
  server.on('error', () => {
    // Clients that disconnect mid-handshake (timeout, abort, bad certificate) land here.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const connections = (server as unknown as { connections: Set<unknown> }).connections;
  return {
    port,
    target: `127.0.0.1:${port}`,
    accepted: () => accepted,
    openConnections: () => connections.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

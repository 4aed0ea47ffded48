import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import type { AuthenticateError } from 'aedes';
import type { PemPair } from './certs.ts';

// An MQTT broker for tests: aedes on 127.0.0.1 port 0, plain or TLS (a node tls server whose
// connections go to aedes.handle), with one user/password when asked. `close()` ends every
// connection and the broker.

/** How the test broker behaves. */
export interface TestBrokerOptions {
  /** Only this user with this password may connect (CONNACK 4 otherwise). */
  login?: { username: string; password: string };
  /** Serve MQTT over TLS with this certificate. */
  tls?: PemPair;
  /** Topics the broker refuses to let clients subscribe to (SUBACK 0x80). */
  forbiddenTopics?: readonly string[];
}

/** A running broker; `target` is ready to use as an mqtt check target. */
export interface TestBroker {
  port: number;
  /** `mqtt://127.0.0.1:PORT` or `mqtts://localhost:PORT`. */
  target: string;
  /** Connections open right now (a check must leave none). */
  openConnections(): number;
  /** Publishes a message as the broker (retained when asked), for subscribe tests. */
  publish(topic: string, payload: string, retain?: boolean): Promise<void>;
  close(): Promise<void>;
}

const BAD_LOGIN = 4;

export async function startMqttBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      const { login } = options;
      if (login === undefined) return done(null, true);
      if (username === login.username && password?.toString() === login.password)
        return done(null, true);
      const error = new Error('bad username or password') as AuthenticateError;
      error.returnCode = BAD_LOGIN;
      return done(error, null);
    },
    authorizeSubscribe: (_client, subscription, callback) => {
      // A null subscription is refused with SUBACK 0x80 (an error would drop the connection).
      if (options.forbiddenTopics?.includes(subscription.topic)) return callback(null, null);
      return callback(null, subscription);
    },
  });
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (socket) =>
        broker.handle(socket),
      )
    : createTcpServer((socket) => broker.handle(socket));
  // Counted at TCP level, so a TLS handshake that fails is counted (and must close) too.
  server.on('connection', track);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    target: options.tls ? `mqtts://localhost:${port}` : `mqtt://127.0.0.1:${port}`,
    openConnections: () => sockets.size,
    publish: (topic, payload, retain = false) =>
      new Promise((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain, dup: false },
          (error) => (error ? reject(error) : resolve()),
        ),
      ),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey } from 'ssh2';
import { firstKey } from '../../src/checks/ssh/options.ts';

const { Server, utils } = ssh2;

/** Who may log in to the test server. */
export interface SshServerOptions {
  /** Accepted user and password. */
  password?: { username: string; password: string };
  /** Accepted user and public key (OpenSSH text). */
  publicKey?: { username: string; key: string };
  /** Identification software version (`SSH-2.0-<ident>`). */
  ident?: string;
}

/** A running ssh2 server on a loopback port 0 with a fresh ed25519 host key. */
export interface TestSshServer {
  port: number;
  target: string;
  /** The host key's SHA256 fingerprint as `ssh-keygen -lf` prints it. */
  hostKeyBlob: Buffer;
  /** Connections open right now (closed ones are subtracted when their socket closes). */
  openConnections(): number;
  accepted(): number;
  close(): Promise<void>;
}

/**
 * A fresh ed25519 key pair as OpenSSH text (`private`, `public`). About 1 in 170 keys ssh2
 * generates is one its own parser calls malformed (measured: 18 of 3,000), so a key is drawn
 * again until it parses, a bounded number of times.
 */
export function sshKeyPair(): { private: string; public: string } {
  for (let attempt = 1; ; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(firstKey(utils.parseKey(pair.private)) instanceof Error) || attempt === 20) return pair;
  }
}

function parsed(key: string): ParsedKey {
  const first = firstKey(utils.parseKey(key));
  if (first instanceof Error) throw new Error(`test key does not parse: ${first.message}`);
  return first;
}

export async function startSshServer(options: SshServerOptions = {}): Promise<TestSshServer> {
  const hostKey = sshKeyPair();
  const allowedKey = options.publicKey === undefined ? undefined : parsed(options.publicKey.key);
  const clients = new Set<Connection>();
  let open = 0;
  let accepted = 0;
  const server = new Server(
    { hostKeys: [hostKey.private], ident: options.ident ?? 'CrosscheckTest_1.0' },
    (client) => {
      accepted += 1;
      open += 1;
      clients.add(client);
      client.on('close', () => {
        open -= 1;
        clients.delete(client);
      });
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => {
        const byPassword = options.password;
        if (ctx.method === 'password' && byPassword !== undefined) {
          const ok = ctx.username === byPassword.username && ctx.password === byPassword.password;
          return ok ? ctx.accept() : ctx.reject();
        }
        if (ctx.method === 'publickey' && allowedKey !== undefined) {
          const same =
            ctx.username === options.publicKey?.username &&
            ctx.key.algo === allowedKey.type &&
            ctx.key.data.equals(allowedKey.getPublicSSH());
          if (!same) return ctx.reject();
          // Without a signature the client only asks whether the key would do.
          if (ctx.signature === undefined || ctx.blob === undefined) return ctx.accept();
          return allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true
            ? ctx.accept()
            : ctx.reject();
        }
        return ctx.reject(['password', 'publickey']);
      });
      client.on('ready', () => client.end());
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    target: `127.0.0.1:${port}`,
    hostKeyBlob: parsed(hostKey.public).getPublicSSH(),
    openConnections: () => open,
    accepted: () => accepted,
    close: async () => {
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

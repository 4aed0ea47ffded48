import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PemPair } from './certs.ts';

/** Debian's Dovecot (dovecot-imapd, dovecot-pop3d); `.ci/run` installs it when missing. */
export const DOVECOT = '/usr/sbin/dovecot';
/** Rounds of waiting for the listeners (50 ms each): Dovecot starts in about 200 ms. */
const START_ROUNDS = 200;

export interface TestDovecot {
  /** Ports of the four listeners, all on 127.0.0.1. */
  ports: { imap: number; imaps: number; pop3: number; pop3s: number };
  pid: number;
  /** Stops Dovecot (by its PID) and removes its directory. */
  close(): Promise<void>;
}

/**
 * Starts a real Dovecot with IMAP and POP3 (plain + STARTTLS, and implicit TLS) on free
 * loopback ports, one passwd-file user, and the given certificate; everything lives in a
 * temp dir removed on close.
 */
export async function startDovecot(options: {
  cert: PemPair;
  login: { username: string; password: string };
}): Promise<TestDovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-dovecot-'));
  // Dovecot's login and auth processes run as other users and must reach base_dir.
  fs.chmodSync(dir, 0o755);
  const ports = {
    imap: await freePort(),
    imaps: await freePort(),
    pop3: await freePort(),
    pop3s: await freePort(),
  };
  const users = mailUsers();
  fs.writeFileSync(path.join(dir, 'cert.pem'), options.cert.certPem);
  fs.writeFileSync(path.join(dir, 'key.pem'), options.cert.keyPem, { mode: 0o600 });
  fs.writeFileSync(
    path.join(dir, 'users'),
    `${options.login.username}:{PLAIN}${options.login.password}::::::\n`,
    {
      mode: 0o644,
    },
  );
  const home = path.join(dir, 'home', options.login.username);
  fs.mkdirSync(home, { recursive: true });
  fs.chownSync(home, users.mailUid, users.mailGid);
  fs.chmodSync(path.join(dir, 'home'), 0o755);
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, dovecotConf(dir, ports, users));
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPorts(child, Object.values(ports));
  } catch (error) {
    const log = fs.existsSync(path.join(dir, 'dovecot.log'))
      ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8')
      : '';
    await stop();
    throw new Error(
      `dovecot did not start: ${String(error)}
${stderr}
${log}`,
      { cause: error },
    );
  }
  return { ports, pid: child.pid ?? 0, close: stop };
}

interface MailUsers {
  loginUser: string;
  internalUser: string;
  mailUid: number;
  mailGid: number;
}

/** As root: Debian's dovenull/dovecot users and `nobody` for mail; otherwise ourselves. */
function mailUsers(): MailUsers {
  if (process.getuid?.() !== 0) {
    const me = os.userInfo();
    return { loginUser: me.username, internalUser: me.username, mailUid: me.uid, mailGid: me.gid };
  }
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
  return { loginUser: 'dovenull', internalUser: 'dovecot', mailUid: uid, mailGid: gid };
}

function dovecotConf(dir: string, ports: TestDovecot['ports'], users: MailUsers): string {
  return `# Written by test/helpers/dovecot-server.ts
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap pop3
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
# The plain-text login tests need it; the checks refuse plain text unless told --tls off.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Dovecot waits 2 s before answering a failed login; the wrong-password tests need no wait.
auth_failure_delay = 0
default_login_user = ${users.loginUser}
default_internal_user = ${users.internalUser}
first_valid_uid = ${users.mailUid}
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = ${dir}/users
}
userdb {
  driver = static
  args = uid=${users.mailUid} gid=${users.mailGid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    port = ${ports.imap}
  }
  inet_listener imaps {
    port = ${ports.imaps}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${ports.pop3}
  }
  inet_listener pop3s {
    port = ${ports.pop3s}
    ssl = yes
  }
}
`;
}

/** A loopback port that was free a moment ago (Dovecot binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPorts(child: ChildProcess, ports: number[]): Promise<void> {
  for (let round = 0; round < START_ROUNDS; round++) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const answers = await Promise.all(ports.map((port) => portAnswers(port)));
    if (answers.every(Boolean)) return;
    await sleep(50);
  }
  throw new Error('listeners not up within 10 s');
}

/** True when something accepts on the port; settles once the probe socket is fully closed. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let connected = false;
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      connected = true;
      socket.destroy();
    });
    socket.once('error', () => socket.destroy());
    socket.once('close', () => resolve(connected));
  });
}

/** SIGTERM by PID, then SIGKILL if it has not exited within 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

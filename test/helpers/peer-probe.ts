// A TLS client for the coordinator's peer port, run INSIDE a lab namespace (the coordinator's
// address is only reachable from there). It connects with an optional client certificate and
// ALPN, sends one plain HTTP request as soon as the handshake completes, and prints one JSON line
// saying what came back. A refused connection fails the handshake or is closed right after it
// with no application data; an accepted one answers the request.
//
//   node test/helpers/peer-probe.ts --host 10.231.1.11 --port 7433 [--cert c.pem --key k.pem] [--alpn crosscheck-peer/1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../src/lib/errors.ts';
import type { Lab } from './netns.ts';

/** What the probe saw. */
export interface ProbeOutcome {
  /** The TLS handshake completed on our side. */
  handshake: boolean;
  /** The negotiated ALPN protocol (false: none). */
  alpn: string | false | null;
  /** The first error code or message, if any. */
  error: string | null;
  /** Application bytes received after the handshake. */
  bytesReceived: number;
  /** The first line received (an HTTP status line when accepted). */
  firstLine: string | null;
  /** The server closed the connection within the wait. */
  closed: boolean;
}

/** Options of one probe run. */
export interface ProbeOptions {
  host: string;
  port: number;
  certFile?: string;
  keyFile?: string;
  alpn?: string;
  /** How long to wait for an answer or a close (default 3 s). */
  waitMs?: number;
}

const SCRIPT = fileURLToPath(import.meta.url);

/** Runs the probe inside `host`'s namespace and returns its outcome. */
export async function probePeerPort(
  lab: Lab,
  host: string,
  options: ProbeOptions,
): Promise<ProbeOutcome> {
  const args = [SCRIPT, '--host', options.host, '--port', String(options.port)];
  if (options.certFile) args.push('--cert', options.certFile);
  if (options.keyFile) args.push('--key', options.keyFile);
  if (options.alpn) args.push('--alpn', options.alpn);
  args.push('--wait-ms', String(options.waitMs ?? 3000));
  const result = await lab.exec(host, process.execPath, args, { timeoutMs: 15_000 });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ProbeOutcome;
  } catch {
    throw new AppError('INTERNAL', `peer probe printed no outcome: ${result.stderr.trim()}`);
  }
}

/** Writes PEM files into a new temp dir (for --cert/--key); returns their paths and the dir. */
export function writePemFiles(pair: { certPem: string; keyPem: string }): {
  dir: string;
  certFile: string;
  keyFile: string;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-probe-'));
  const certFile = path.join(dir, 'client.crt');
  const keyFile = path.join(dir, 'client.key');
  fs.writeFileSync(certFile, pair.certPem, { mode: 0o600 });
  fs.writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
  return { dir, certFile, keyFile };
}

/** Connects once and reports; never rejects. */
export function probe(options: ProbeOptions): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const outcome: ProbeOutcome = {
      handshake: false,
      alpn: null,
      error: null,
      bytesReceived: 0,
      firstLine: null,
      closed: false,
    };
    let received = '';
    const socket = tls.connect({
      host: options.host,
      port: options.port,
      // We test the server's refusal of us, not its certificate (we do not hold the cluster CA).
      rejectUnauthorized: false,
      ...(options.alpn ? { ALPNProtocols: [options.alpn] } : {}),
      ...(options.certFile ? { cert: fs.readFileSync(options.certFile) } : {}),
      ...(options.keyFile ? { key: fs.readFileSync(options.keyFile) } : {}),
    });
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      outcome.firstLine = received === '' ? null : (received.split('\r\n')[0] ?? null);
      resolve(outcome);
    };
    const timer = setTimeout(finish, options.waitMs ?? 3000);
    socket.on('secureConnect', () => {
      outcome.handshake = true;
      outcome.alpn = socket.alpnProtocol;
      socket.write('GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      outcome.bytesReceived += chunk.length;
      received += chunk.toString('latin1');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error ??= error.code ?? error.message;
    });
    socket.on('close', () => {
      outcome.closed = true;
      finish();
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      alpn: { type: 'string' },
      'wait-ms': { type: 'string', default: '3000' },
    },
  });
  if (!values.host || !values.port) throw new Error('--host and --port are required');
  const outcome = await probe({
    host: values.host,
    port: Number(values.port),
    waitMs: Number(values['wait-ms']),
    ...(values.cert ? { certFile: values.cert } : {}),
    ...(values.key ? { keyFile: values.key } : {}),
    ...(values.alpn ? { alpn: values.alpn } : {}),
  });
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

if (process.argv[1] === SCRIPT) await main();

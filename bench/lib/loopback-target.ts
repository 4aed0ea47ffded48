import path from 'node:path';
import type { BenchChild, ChildProcesses } from './child-processes.ts';
import { firstJsonLine } from './child-processes.ts';

/** A running target-server child and the loopback ports it listens on. */
export interface LoopbackTarget {
  child: BenchChild;
  httpPorts: number[];
  tcpPorts: number[];
  /** The HTTP URL for the i-th monitor (spread over the ports). */
  httpUrl(i: number): string;
  /** The `host:port` target for the i-th TCP monitor. */
  tcpAddress(i: number): string;
}

const SERVER = path.join(import.meta.dirname, 'target-server.ts');

/** Starts the loopback target server as a separate process and waits until it listens. */
export async function startLoopbackTarget(
  children: ChildProcesses,
  logFile: string,
  ports = 4,
): Promise<LoopbackTarget> {
  const child = children.spawnNode({
    name: 'target-server',
    args: [SERVER, '--ports', String(ports)],
    logFile,
    readStdout: true,
  });
  const listening = await firstJsonLine<{ http: number[]; tcp: number[] }>(child, 15_000);
  const pick = (list: number[], i: number): number => list[i % list.length] ?? 0;
  return {
    child,
    httpPorts: listening.http,
    tcpPorts: listening.tcp,
    httpUrl: (i) => `http://127.0.0.1:${pick(listening.http, i)}/m/${i}`,
    tcpAddress: (i) => `127.0.0.1:${pick(listening.tcp, i)}`,
  };
}

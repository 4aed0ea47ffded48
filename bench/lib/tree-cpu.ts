/**
 * CPU time of process trees, from /proc (Linux only), for the check-types scenario: the
 * server's tree (a host process and the daemons it started) and the check's own children
 * (ping, Chromium) are read apart from this process's `process.cpuUsage()`.
 *
 * Each process counts its own time plus that of its children it has waited for (cutime and
 * cstime), so a process that ends inside a window still counts: its time moves into its
 * parent's, and the difference of two readings stays right.
 */
import fs from 'node:fs';
import { descendantProcesses } from '../../test/helpers/open-handles.ts';
import { clockTicks } from './proc-stats.ts';

/** A process's own CPU (utime + stime) and its waited-for children's (cutime + cstime), in ms. */
export function processCpuMs(pid: number | 'self'): { own: number; waited: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name's closing parenthesis start with the state (field 3).
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ms = (ticks: number | undefined): number => ((ticks ?? 0) * 1000) / clockTicks();
    return {
      own: ms((fields[11] ?? 0) + (fields[12] ?? 0)),
      waited: ms((fields[13] ?? 0) + (fields[14] ?? 0)),
    };
  } catch {
    return { own: 0, waited: 0 };
  }
}

/** utime + stime + cutime + cstime of one process in ms; 0 when it is gone. */
export function processTotalCpuMs(pid: number): number {
  const { own, waited } = processCpuMs(pid);
  return own + waited;
}

/** Own plus waited-for children's CPU of `root` and every live descendant, in ms. */
export function treeCpuMs(root: number): number {
  return [root, ...descendantProcesses(root)].reduce((sum, pid) => sum + processTotalCpuMs(pid), 0);
}

/** One reading of where CPU went: this process, its other children, the server tree. */
export interface CpuReading {
  /** This process (user + system), from `process.cpuUsage()`. */
  selfMs: number;
  /** This process's children other than the server host: waited-for ones and live ones. */
  childrenMs: number;
  serverMs: number;
}

/**
 * Reads the three figures; `serverRoots` are the host process holding the target's server and
 * any daemon it started that detached itself (their trees are the server's).
 */
export function readCpu(serverRoots: readonly number[]): CpuReading {
  const usage = process.cpuUsage();
  const serverTree = serverRoots.flatMap((root) => [root, ...descendantProcesses(root)]);
  const others = descendantProcesses().filter((pid) => !serverTree.includes(pid));
  // This process's own cutime/cstime: children it has waited for (ping runs, a closed Chromium).
  const selfWaited = processCpuMs('self').waited;
  return {
    selfMs: (usage.user + usage.system) / 1000,
    childrenMs: selfWaited + others.reduce((sum, pid) => sum + processTotalCpuMs(pid), 0),
    serverMs: serverTree.reduce((sum, pid) => sum + processTotalCpuMs(pid), 0),
  };
}

/** CPU spent between two readings, in ms. */
export function cpuSpent(from: CpuReading, to: CpuReading): CpuReading {
  return {
    selfMs: to.selfMs - from.selfMs,
    childrenMs: to.childrenMs - from.childrenMs,
    serverMs: to.serverMs - from.serverMs,
  };
}

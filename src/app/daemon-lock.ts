import fs from 'node:fs';
import { AppError } from '../lib/errors.ts';

/** Information a running daemon publishes in its data dir for the CLI to find it. */
export interface DaemonInfo {
  pid: number;
  apiUrl: string;
  nodeId: string;
  version: string;
  startedAt: number;
  /** Coordinator only: where its peer port listens. */
  peerAddress?: string;
}

/** True when a process with this pid exists (signal 0 only checks). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data dir's lock file, refusing while another live process holds it. A lock left
 * by a killed daemon (its pid is gone) is taken over.
 */
export function acquireDaemonLock(lockFile: string): { release(): void } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return {
        release() {
          if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readPid(lockFile);
      if (holder !== undefined && holder !== process.pid && isProcessAlive(holder)) {
        throw new AppError(
          'CONFLICT',
          `another crosscheck daemon (pid ${holder}) is already running on this data dir; stop it first or use another --data-dir`,
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new AppError('UNAVAILABLE', `could not take the lock ${lockFile}`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the daemon info file if a live daemon wrote it. */
export function readDaemonInfo(file: string): DaemonInfo | undefined {
  let info: DaemonInfo;
  try {
    info = JSON.parse(fs.readFileSync(file, 'utf8')) as DaemonInfo;
  } catch {
    return undefined;
  }
  return typeof info.pid === 'number' && isProcessAlive(info.pid) ? info : undefined;
}

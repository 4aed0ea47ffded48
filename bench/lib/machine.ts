import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** Where and how a figure was measured, stored with every result file. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
  node: string;
  commit: string;
  dirty: boolean;
  date: string;
  mode: 'quick' | 'full';
}

/** Describes this machine, the Node version and the git commit the bench ran on. */
export function machineInfo(quick: boolean): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    // CROSSCHECK_BENCH_COMMIT names the commit when the bench runs from an exported tree
    // (`git archive`) that has no .git, e.g. to measure HEAD while the checkout is mid-edit.
    commit:
      process.env.CROSSCHECK_BENCH_COMMIT ?? git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    // Others work in the same checkout; a dirty tree means the figures may include their edits.
    dirty: process.env.CROSSCHECK_BENCH_COMMIT
      ? false
      : (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
  };
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', timeout: 5_000 }).trim();
  } catch {
    return undefined;
  }
}

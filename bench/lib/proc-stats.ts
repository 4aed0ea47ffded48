import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** CPU time and memory of a process, read from /proc (Linux only). */
export interface ProcSample {
  /** Epoch ms when read. */
  at: number;
  /** User + system CPU time so far, in ms. */
  cpuMs: number;
  rssBytes: number;
  /** Peak RSS so far (VmHWM). */
  peakRssBytes: number;
}

let ticksPerSecond: number | undefined;

export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Reads /proc/<pid>/stat and /proc/<pid>/status; undefined when the process is gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state field (3).
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      at: Date.now(),
      cpuMs: (ticks * 1000) / clockTicks(),
      rssBytes: kilobytes(status, 'VmRSS') * 1024,
      peakRssBytes: kilobytes(status, 'VmHWM') * 1024,
    };
  } catch {
    return undefined;
  }
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** CPU use between two samples as a percentage of one core. */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  const wall = to.at - from.at;
  return wall > 0 ? ((to.cpuMs - from.cpuMs) / wall) * 100 : 0;
}

/** Samples a process every `everyMs` until stopped; keeps the first, last and peak RSS. */
export class ProcessSampler {
  private readonly pid: number;
  private readonly timer: NodeJS.Timeout;
  readonly first: ProcSample | undefined;
  last: ProcSample | undefined;
  maxRssBytes = 0;
  private rssTotal = 0;
  private count = 0;

  constructor(pid: number, everyMs = 1_000) {
    this.pid = pid;
    this.first = this.take();
    this.timer = setInterval(() => this.take(), everyMs);
  }

  /** Stops sampling after one last sample; returns CPU % of one core and RSS figures in MB. */
  stop(): { cpuPercent: number; rssMeanMb: number; rssMaxMb: number; peakRssMb: number } {
    clearInterval(this.timer);
    this.take();
    const { first, last } = this;
    return {
      cpuPercent: first && last ? Math.round(cpuPercent(first, last) * 10) / 10 : 0,
      rssMeanMb: Math.round(this.rssTotal / Math.max(1, this.count) / 2 ** 20),
      rssMaxMb: Math.round(this.maxRssBytes / 2 ** 20),
      peakRssMb: Math.round((last?.peakRssBytes ?? 0) / 2 ** 20),
    };
  }

  private take(): ProcSample | undefined {
    const sample = sampleProcess(this.pid);
    if (sample) {
      this.last = sample;
      this.maxRssBytes = Math.max(this.maxRssBytes, sample.rssBytes);
      this.rssTotal += sample.rssBytes;
      this.count++;
    }
    return sample;
  }
}

/** CPU and RSS of one process over a window, as `ProcessSampler.stop` reports them. */
export type ProcessFigures = ReturnType<ProcessSampler['stop']>;

/**
 * Waits out a warm-up, then samples the daemon and the target over one window; `from`/`to`
 * are the window's wall-clock bounds (epoch ms) for reading the stored results afterwards.
 */
export async function sampleWindow(
  daemonPid: number,
  targetPid: number,
  warmupMs: number,
  windowMs: number,
): Promise<{ from: number; to: number; daemon: ProcessFigures; target: ProcessFigures }> {
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  const from = Date.now();
  const daemonSampler = new ProcessSampler(daemonPid);
  const targetSampler = new ProcessSampler(targetPid);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const to = Date.now();
  return { from, to, daemon: daemonSampler.stop(), target: targetSampler.stop() };
}

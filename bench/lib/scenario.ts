import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcesses } from './child-processes.ts';
import type { MachineInfo } from './machine.ts';

/** What every scenario gets from the runner. */
export interface ScenarioContext {
  quick: boolean;
  children: ChildProcesses;
  /** A private temp dir for this scenario (removed by the runner). */
  workDir: string;
  /** `--sizes 10000,30000`: monitor counts for agent-throughput instead of the defaults. */
  sizes?: number[];
  /** `--types http`: check types for agent-throughput (instead of http and tcp) and check-types (instead of all). */
  types?: string[];
}

/** One target of the issue, judged on a figure of this run. */
export interface TargetResult {
  target: string;
  /** The measured figure, with its unit, as text for the table. */
  measured: string;
  /** The target, as text (e.g. `< 250 ms`). */
  goal: string;
  /** true PASS, false MISS, null when not measured (scenario skipped or failed). */
  pass: boolean | null;
}

/** What a scenario returns: its figures (stored as JSON) and the targets it judges. */
export interface ScenarioOutcome {
  figures: Record<string, unknown>;
  targets: TargetResult[];
  skipped?: { reason: string };
}

/** A benchmark scenario; `run` must bound every loop in time and count. */
export interface Scenario {
  name: string;
  /** One line: what it measures. */
  description: string;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

export const RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'results');

/** Writes `bench/results/<name>.json` with the machine description first. */
export function writeResultFile(name: string, machine: MachineInfo, body: object): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ scenario: name, machine, ...body }, null, 2)}\n`);
  return file;
}

/** Prints an aligned plain-text table (no colours: the output is often piped to a file). */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of cells.slice(1)) console.log(line(row));
}

/** `PASS` / `MISS` / `n/a` for a target. */
export function verdict(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}

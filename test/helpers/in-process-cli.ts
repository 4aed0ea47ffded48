import type { Output } from '../../src/cli/output.ts';
import { runCli } from '../../src/cli/program.ts';

/** Runs the CLI in-process on a data dir and collects what it prints and its exit code. */
export async function runCliInProcess(
  dataDir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = {
    color: false,
    json: (value) => stdout.push(JSON.stringify(value)),
    line: (text = '') => stdout.push(text),
    error: (text) => stderr.push(text),
  };
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await runCli(['--data-dir', dataDir, ...args], { out, env: {} });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    process.exitCode = saved;
  }
}

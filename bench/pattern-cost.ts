/**
 * CPU per keyword check with and without the pattern pool (docs/adr/0005-pattern-isolation.md).
 * Not a registered scenario: a small, standalone measurement.
 *
 *   node bench/pattern-cost.ts [--checks 3000] [--concurrency 8] [--body-bytes 2048]
 *
 * The loopback target runs in a child process, so `process.cpuUsage()` here counts only the
 * checking side: the main thread plus the pattern workers (they are threads of this process).
 * Modes, alternated in rounds to spread machine noise: `http` (no body test), `keyword` (a
 * substring, inline), `regex inline` (a regex evaluated on the main thread: what every regex
 * cost before the pool, with no protection) and `regex pool` (the same regex in the pool).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { getCheck } from '../src/checks/registry.ts';
import type { PatternEvaluator, PatternTask } from '../src/checks/pattern-evaluator.ts';
import { createPatternPool } from '../src/checks/patterns/pool.ts';
import { createPatternTaskRunner } from '../src/checks/patterns/tasks.ts';
import type { CheckContext } from '../src/checks/types.ts';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '8' },
    'body-bytes': { type: 'string', default: '2048' },
    rounds: { type: 'string', default: '3' },
  },
});
const CHECKS = Number(values.checks);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const BODY_BYTES = Number(values['body-bytes']);

const SERVER = `
const body = 'x'.repeat(${BODY_BYTES}) + ' build 2041 All Systems Operational';
const server = require('node:http').createServer((req, res) => res.end(body));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** Evaluates tasks on the calling thread: the unprotected way, for comparison only. */
function inlineEvaluator(): PatternEvaluator {
  const run = createPatternTaskRunner();
  return {
    evaluate: (task) =>
      Promise.resolve({ status: 'done', value: run(task as PatternTask) } as never),
  };
}

interface Mode {
  name: string;
  type: 'http' | 'http_keyword';
  options: Record<string, unknown>;
  patterns: PatternEvaluator;
}

async function measure(mode: Mode, url: string): Promise<{ cpuUs: number; wallMs: number }> {
  const definition = getCheck(mode.type);
  const options = definition.optionsSchema.parse(mode.options);
  const ctx: CheckContext = {
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    patterns: mode.patterns,
  };
  let next = 0;
  let failures = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CHECKS) {
        const result = await definition.run(url, options, ctx);
        if (result.status !== 'up') failures++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  if (failures > 0) throw new Error(`${mode.name}: ${failures} checks were not up`);
  return { cpuUs: (used.user + used.system) / CHECKS, wallMs: performance.now() - started };
}

const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(child.stdout, 'data')) as [Buffer];
const url = `http://127.0.0.1:${line.toString().trim()}/`;
const pool = createPatternPool();
try {
  const regex = { regex: 'build \\d{4}' };
  const modes: Mode[] = [
    { name: 'http', type: 'http', options: {}, patterns: pool },
    { name: 'keyword', type: 'http_keyword', options: { keyword: 'Operational' }, patterns: pool },
    { name: 'regex inline', type: 'http_keyword', options: regex, patterns: inlineEvaluator() },
    { name: 'regex pool', type: 'http_keyword', options: regex, patterns: pool },
  ];
  for (const mode of modes) await measure({ ...mode }, url); // warm-up
  const totals = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const mode of modes) {
      const { cpuUs } = await measure(mode, url);
      totals.set(mode.name, [...(totals.get(mode.name) ?? []), cpuUs]);
    }
  console.log(
    `${CHECKS} checks x ${ROUNDS} rounds, concurrency ${CONCURRENCY}, body ${BODY_BYTES} B`,
  );
  for (const [name, samples] of totals) {
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(
      `${name.padEnd(14)} CPU per check: median ${median.toFixed(0)} µs (${sorted.map((s) => s.toFixed(0)).join(', ')})`,
    );
  }
} finally {
  await pool.close();
  child.kill();
}

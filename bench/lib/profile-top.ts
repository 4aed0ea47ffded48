/**
 * Prints the functions with the most self time in a V8 `.cpuprofile` (from `node --cpu-prof`):
 *
 *   node bench/lib/profile-top.ts <file.cpuprofile> [--top 30] [--by function|file] [--inclusive]
 *        [--from-s 5] [--to-s 20]
 *
 * Self time is attributed per sample to the leaf node; `--by file` sums it per script, which
 * shows which module (ours, Node's http, pino, SQLite…) the CPU goes to. `--inclusive` counts
 * a sample for every distinct function on its stack (total time spent below a function).
 * `--from-s` / `--to-s` keep only samples in that span after the profile started (skip
 * start-up and shutdown).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '30' },
    by: { type: 'string', default: 'function' },
    inclusive: { type: 'boolean', default: false },
    'from-s': { type: 'string', default: '0' },
    'to-s': { type: 'string', default: 'Infinity' },
  },
});
const file = positionals[0];
if (!file) throw new Error('usage: node bench/lib/profile-top.ts <file.cpuprofile>');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<string, number>();
let totalUs = 0;
const parentOf = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/');
  return values.by === 'file'
    ? where || '(native)'
    : `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
}

const fromUs = Number(values['from-s']) * 1e6;
const toUs = Number(values['to-s']) * 1e6;
let elapsedUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  elapsedUs += delta;
  if (elapsedUs < fromUs || elapsedUs > toUs) return;
  totalUs += delta;
  const keys = new Set<string>();
  // Bounded by the stack depth: parent links form a tree rooted at the profile's root.
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const node = byId.get(at);
    if (node) keys.add(keyOf(node));
    if (!values.inclusive) break;
  }
  for (const key of keys) selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
});
const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(`total ${(totalUs / 1e6).toFixed(1)} s sampled in ${file}`);
for (const [key, us] of rows) {
  console.log(
    `${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
  );
}

// `npm run build` (also run by `prepare`, so by `npm ci` and `npm pack`): the JavaScript an
// installed package runs (docs/adr/0004-build-to-javascript.md). Emits dist/ from scratch so a
// file deleted from src/ cannot linger in a tarball, copies the files src/ reads at run time,
// then builds the dashboard into dist/web.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

/** Non-TypeScript files under src/ that the code reads next to itself (`import.meta.url`). */
const RUNTIME_ASSETS = ['status-pages/assets', 'checks/domain/dns.json'];

function run(label: string, args: string[]): void {
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${label} failed (exit ${String(result.status)})\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`build: ${label} in ${Date.now() - started} ms\n`);
}

fs.rmSync(dist, { recursive: true, force: true });

const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
run('tsc → dist/', [tsc, '-p', 'tsconfig.build.json']);

for (const asset of RUNTIME_ASSETS) {
  fs.cpSync(path.join(root, 'src', asset), path.join(dist, asset), { recursive: true });
}
process.stdout.write(`build: copied ${RUNTIME_ASSETS.join(', ')}\n`);

const vite = path.join(root, 'node_modules/vite/bin/vite.js');
run('dashboard → dist/web', [
  vite,
  'build',
  '--config',
  'web/vite.config.ts',
  '--logLevel',
  'warn',
]);

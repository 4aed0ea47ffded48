#!/usr/bin/env node
// Launcher (docs/adr/0004-build-to-javascript.md). Kept to syntax every Node parses, so an old
// Node prints one line instead of a stack trace.
import fs from 'node:fs';
import module from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

// Older Nodes fail later and obscurely (no crypto.argon2, no type stripping): say so up front.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 7)) {
  process.stderr.write(`crosscheck needs Node.js 24.7 or newer; this is ${process.version}\n`);
  process.exit(3);
}

module.enableCompileCache?.();
// A checkout runs its TypeScript sources (Node strips the types), so tests and `npm start` never
// run a stale build. An installed package has no sources — Node would not strip types under
// node_modules anyway — and runs the JavaScript `npm run build` emitted into dist/.
const sources = new URL('../src/cli/main.ts', import.meta.url);
await import(fs.existsSync(sources) ? sources.href : '../dist/cli/main.js');

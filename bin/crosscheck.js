#!/usr/bin/env node
// Thin launcher: Node >= 24.7 runs the TypeScript sources directly (type stripping),
// and the compile cache keeps repeated CLI starts fast.
import module from 'node:module';
import process from 'node:process';

// Older Nodes fail later and obscurely (no type stripping, no crypto.argon2): say so up front.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 7)) {
  process.stderr.write(`crosscheck needs Node.js 24.7 or newer; this is ${process.version}\n`);
  process.exit(3);
}

module.enableCompileCache?.();
await import('../src/cli/main.ts');

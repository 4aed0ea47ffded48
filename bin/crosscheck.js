#!/usr/bin/env node
// Thin launcher: Node >= 22.18 runs the TypeScript sources directly (type stripping),
// and the compile cache keeps repeated CLI starts fast.
import module from 'node:module';

module.enableCompileCache?.();
await import('../src/cli/main.ts');

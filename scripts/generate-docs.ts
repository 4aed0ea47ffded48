// Writes the documents derived from registries (`npm run docs`); a test fails when they are stale.
import fs from 'node:fs';
import path from 'node:path';
import { OPERATIONS } from '../src/operations/registry.ts';
import { renderOperationsReference } from '../src/operations/reference.ts';

const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'docs', 'operations.md');
fs.writeFileSync(file, renderOperationsReference(OPERATIONS));
process.stdout.write(`wrote ${path.relative(root, file)}\n`);

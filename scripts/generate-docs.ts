// Writes the documents derived from registries (`npm run docs`); a test fails when they are stale.
import fs from 'node:fs';
import path from 'node:path';
import { OPERATIONS } from '../src/operations/registry.ts';
import { renderOperationsReference } from '../src/operations/reference.ts';
import { renderConfigFileSchema } from '../src/config-file/schema.ts';
import { IMPORTERS } from '../src/importers/registry.ts';
import { renderImportingReference } from '../src/importers/reference.ts';
import { renderBrowserChecksDoc } from '../src/checks/browser/reference.ts';
import {
  ALERT_DOCS_DIR,
  existingAlertDocs,
  generateAlertDocs,
} from '../src/alerts/reference-files.ts';

const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'docs', 'operations.md');
fs.writeFileSync(file, renderOperationsReference(OPERATIONS));
process.stdout.write(`wrote ${path.relative(root, file)}\n`);

const importing = path.join(root, 'docs', 'importing.md');
fs.writeFileSync(importing, renderImportingReference(IMPORTERS));
process.stdout.write(`wrote ${path.relative(root, importing)}\n`);

const browserChecks = path.join(root, 'docs', 'browser-checks.md');
fs.writeFileSync(browserChecks, renderBrowserChecksDoc());
process.stdout.write(`wrote ${path.relative(root, browserChecks)}\n`);

// docs/alerts/ holds generated pages only: a page of a channel no longer registered goes.
const schemaFile = path.join(root, 'docs', 'crosscheck.schema.json');
fs.writeFileSync(schemaFile, renderConfigFileSchema());
process.stdout.write(`wrote ${path.relative(root, schemaFile)}\n`);

const alertDocs = await generateAlertDocs();
fs.mkdirSync(ALERT_DOCS_DIR, { recursive: true });
const wanted = new Set(alertDocs.map((doc) => doc.name));
for (const name of existingAlertDocs()) {
  if (!wanted.has(name)) {
    fs.rmSync(path.join(ALERT_DOCS_DIR, name));
    process.stdout.write(`removed ${path.relative(root, path.join(ALERT_DOCS_DIR, name))}\n`);
  }
}
for (const doc of alertDocs) fs.writeFileSync(path.join(ALERT_DOCS_DIR, doc.name), doc.text);
process.stdout.write(`wrote ${alertDocs.length} files in ${path.relative(root, ALERT_DOCS_DIR)}\n`);

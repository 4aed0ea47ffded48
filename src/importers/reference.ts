import type { AnyImporter } from './registry.ts';
import type { MappingRow } from './types.ts';

/**
 * docs/importing.md, rendered from the importers' own mapping tables (`npm run docs`; a test
 * fails when the file is stale), so the page says what the mappers do.
 */
export function renderImportingReference(importers: readonly AnyImporter[]): string {
  return [
    '# Importing from other monitors',
    '',
    '<!-- Generated from src/importers/ by `npm run docs`; edit the mapping tables there. -->',
    '',
    'Crosscheck brings monitors and alert channels over from the tool you run today:',
    '',
    ...importers.map(
      (i) => `- \`crosscheck import ${i.name} ${i.fileArgument}\`: ${i.description}.`,
    ),
    '',
    '## How an import runs',
    '',
    '1. The file is read (a database is opened read-only) and every object is mapped. Each',
    '   monitor and alert target is validated by the same schemas as `monitors.create` and',
    '   `alerts.targets.create`; one they would refuse is reported with the reason, never sent.',
    '2. `--dry-run` prints that plan — what would be created, what is not imported and why,',
    '   and warnings — and writes nothing (no daemon is needed). `--json` prints it as JSON.',
    '3. Without `--dry-run`, the alert targets are created first (`alerts.targets.create`), then',
    '   every monitor in one atomic `monitors.bulk` call (all or nothing), through the running',
    '   daemon’s API like every other command. Monitors route to their targets by name.',
    '4. Re-running an import skips every target and monitor whose name already exists, and says',
    '   so: nothing is duplicated, and objects you changed after the first import are left alone.',
    '',
    'Secrets (tokens, passwords, webhook URLs, credential headers) are never printed: the plan',
    'shows them masked as each channel and check type masks them everywhere else.',
    '',
    '## Exit codes',
    '',
    '| code | meaning |',
    '| ---- | ------- |',
    '| 0    | everything in the file was imported (or, with `--dry-run`, would be) |',
    '| 1    | the import ran, but something in the file has no equivalent: see “not imported” |',
    '| 2    | bad input: the file cannot be read or a field is malformed (the file and field are named); nothing was written |',
    '| 3+   | as for every command: 3 no daemon running, 6 not allowed, 7 internal error |',
    '',
    ...importers.flatMap(importerSection),
  ].join('\n');
}

function importerSection(importer: AnyImporter): string[] {
  return [
    `## ${importer.title}`,
    '',
    `\`crosscheck import ${importer.name} ${importer.fileArgument} [--dry-run] [--json]\``,
    '',
    ...importer.mappings.flatMap((table) => [
      `### ${table.title}`,
      '',
      '| source | Crosscheck | how, or why not |',
      '| ------ | ---------- | --------------- |',
      ...table.rows.map(row),
      '',
    ]),
  ];
}

function row(mapping: MappingRow): string {
  const target = mapping.crosscheck === null ? 'not imported' : `\`${mapping.crosscheck}\``;
  return `| \`${cell(mapping.source)}\` | ${target} | ${cell(mapping.note)} |`;
}

function cell(value: string): string {
  return value.replaceAll('|', '\\|');
}

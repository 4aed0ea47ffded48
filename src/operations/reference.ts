import type { AnyOperation } from './kit.ts';
import { mcpToolName } from './kit.ts';

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * The operations reference (docs/operations.md), rendered from the registry: one row per
 * operation with its REST route, CLI command, MCP tool, role and access. A test fails when the
 * committed file differs, so the document cannot drift from the code.
 */
export function renderOperationsReference(operations: readonly AnyOperation[]): string {
  const lines = [
    '# Operations',
    '',
    '<!-- Generated from src/operations/registry.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every operation of Crosscheck, defined once and served by the REST API (OpenAPI document at',
    '`/api/v1/openapi.json`, reference page at `/api/v1/docs/`), the CLI and, where marked, the MCP',
    'server. Role is the weakest role that may run it; `write` operations need a read-write',
    'credential. Operations marked offline also work from the CLI when no daemon runs (the store',
    'is read directly).',
    '',
    row(['operation', 'REST', 'CLI', 'MCP tool', 'role', 'access', 'offline', 'what it does']),
    row(['---', '---', '---', '---', '---', '---', '---', '---']),
    ...operations.map((op) =>
      row([
        `\`${op.name}\``,
        `\`${op.http.method} ${op.http.path}\``,
        op.cli.length > 0 ? `\`crosscheck ${op.cli.join(' ')}\`` : '-',
        op.mcp ? `\`${mcpToolName(op)}\`` : '-',
        op.role,
        op.destructive ? `${op.access} (destructive)` : op.access,
        op.offline ? 'yes' : 'no',
        op.summary.replaceAll('|', '\\|'),
      ]),
    ),
    '',
  ];
  return lines.join('\n');
}

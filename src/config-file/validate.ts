import type { Monitor } from '../domain/monitor.ts';
import type { FieldIssue } from '../lib/errors.ts';
import type { ConfigFile, ConfigMonitor, FileIssue } from './schema.ts';
import {
  buildEntryMonitor,
  configFileEnvelopeSchema,
  configMonitorEntrySchema,
  configMonitorSchema,
  duplicateIssues,
  splitPath,
} from './schema.ts';

/** Lets other work run; called between slices of a long check (`yieldToEventLoop` at the edges). */
export type Pace = () => Promise<void>;

/** Monitor entries checked between two turns of the event loop (~50 µs each). */
export const VALIDATE_SLICE = 500;

/**
 * A file checked with every rule, each monitor entry parsed once: `monitors` holds the monitor
 * each entry describes (no id, times 0), which the plan stamps instead of building it again.
 */
export interface ValidatedConfig {
  file: ConfigFile;
  monitors: ReadonlyMap<ConfigMonitor, Monitor>;
}

export type ValidationResult =
  { ok: true; config: ValidatedConfig } | { ok: false; issues: FieldIssue[] };

/**
 * Checks a parsed file (after `${ENV}` substitution) with the same rules as `configFileSchema`,
 * collecting every problem at once: the lists other than monitors in one parse, then each
 * monitor entry on its own (one zod parse and the monitor builder), `pace` between slices, so
 * a file of 100,000 monitors never holds the event loop for long. Issue paths are dotted
 * (`monitors.3.target`), under `prefix` when one is given.
 */
export async function validateConfigDocument(
  raw: unknown,
  pace: Pace,
  prefix = '',
): Promise<ValidationResult> {
  const issues: FileIssue[] = [];
  const envelope = configFileEnvelopeSchema.safeParse(raw);
  if (!envelope.success)
    for (const issue of envelope.error.issues)
      issues.push({ path: issue.path.map(pathSegment), message: issue.message });
  const entries = envelope.success ? (envelope.data.monitors ?? []) : loosely(raw);
  const monitors = new Map<ConfigMonitor, Monitor>();
  const parsedEntries: ConfigMonitor[] = [];
  const named: (Pick<ConfigMonitor, 'key' | 'name'> | undefined)[] = [];
  for (const [index, entry] of entries.entries()) {
    if (index > 0 && index % VALIDATE_SLICE === 0) await pace();
    const checked = checkMonitorEntry(entry, index);
    named.push(checked.entry);
    if (checked.issues.length > 0) issues.push(...checked.issues);
    else if (checked.parsed !== undefined && checked.monitor !== undefined) {
      parsedEntries.push(checked.parsed);
      monitors.set(checked.parsed, checked.monitor);
    }
  }
  issues.push(...duplicateIssues({ monitors: named }));
  if (issues.length > 0 || !envelope.success) return { ok: false, issues: dotted(issues, prefix) };
  const { monitors: rawMonitors, ...rest } = envelope.data;
  const file: ConfigFile = rawMonitors === undefined ? rest : { ...rest, monitors: parsedEntries };
  return { ok: true, config: { file, monitors } };
}

interface CheckedEntry {
  /** The entry's identity (key, name), when it has one; for the duplicate check. */
  entry?: Pick<ConfigMonitor, 'key' | 'name'>;
  parsed?: ConfigMonitor;
  monitor?: Monitor;
  issues: FileIssue[];
}

/**
 * One monitor entry: one parse, then the monitor builder's rules. A broken entry is parsed
 * again with the builder inside the schema, so it reports just what a whole-file parse does
 * (zod runs the builder on an entry with some kinds of issues); only broken entries pay twice.
 */
function checkMonitorEntry(raw: unknown, index: number): CheckedEntry {
  const at = (path: readonly PropertyKey[]) => ['monitors', index, ...path.map(pathSegment)];
  const parsed = configMonitorEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const full = configMonitorSchema.safeParse(raw);
    const issues = (full.error?.issues ?? parsed.error.issues).map((issue) => ({
      path: at(issue.path),
      message: issue.message,
    }));
    return { ...identityOf(raw), issues };
  }
  const built = buildEntryMonitor(parsed.data);
  if (!built.ok)
    return {
      entry: parsed.data,
      issues: built.issues.map((issue) => ({
        path: at(splitPath(issue.path)),
        message: issue.message,
      })),
    };
  return { entry: parsed.data, parsed: parsed.data, monitor: built.monitor, issues: [] };
}

/** A broken entry's key and name as the schema would read them (trimmed strings), if any. */
function identityOf(raw: unknown): Pick<CheckedEntry, 'entry'> {
  if (typeof raw !== 'object' || raw === null) return {};
  const { name, key } = raw as { name?: unknown; key?: unknown };
  if (typeof name !== 'string') return {};
  return {
    entry: { name: name.trim(), ...(typeof key === 'string' ? { key: key.trim() } : {}) },
  };
}

/** The monitor entries of a file whose other parts failed, so they are checked too. */
function loosely(raw: unknown): readonly unknown[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const { monitors } = raw as { monitors?: unknown };
  return Array.isArray(monitors) ? monitors : [];
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'number' ? segment : String(segment);
}

/** Dotted paths, each path and message once (a rule may be reported by two checks). */
function dotted(issues: readonly FileIssue[], prefix: string): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const { path, message } of issues) {
    const joined = path.join('.');
    const full = prefix === '' ? joined : joined === '' ? prefix : `${prefix}.${joined}`;
    const id = `${full}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path: full, message });
  }
  return out;
}

import type { Document, Node } from 'yaml';
import { load } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';

/** One problem with a file, where it is: `file:line:col path message`. */
export interface ConfigIssue {
  file: string;
  /** 1-based; 0 when the problem has no place in the text (e.g. an empty file). */
  line: number;
  col: number;
  /** Dotted path of the field (`monitors.0.target`); empty for the whole file. */
  path: string;
  message: string;
}

/** A parsed file: its value after `${ENV}` substitution, and where each path is in the text. */
export interface ParsedConfig {
  file: string;
  value: unknown;
  /** Where a path is (the deepest node of it that exists), for issues found later. */
  locate(path: readonly (string | number)[], message: string): ConfigIssue;
}

/** Reads environment variables; a plain record in tests, `process.env` at the edges. */
export type EnvLookup = (name: string) => string | undefined;

/** `${NAME}` or `${NAME:-default}`; `$${` writes a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Parses YAML (or JSON) text, substitutes environment references in string values and reports
 * every syntax problem and missing variable at once (by position; values are never included,
 * since they may be secrets). Throws nothing: a result with `issues` is a file that cannot be
 * used. A well-formed file is read without positions (JSON.parse, or js-yaml: several times
 * faster than a document with positions, which a file of 100,000 monitors needs); positions
 * are worked out only when a problem has to be placed (`locate`, or a file that does not parse).
 */
export function parseConfigText(
  file: string,
  text: string,
  env: EnvLookup,
): { parsed: ParsedConfig; issues: ConfigIssue[] } {
  const value = parseFast(text);
  if (value.ok) {
    const missing: string[] = [];
    const substituted = substituteValue(value.value, env, missing);
    if (missing.length === 0) {
      let positioned: ParsedConfig | undefined;
      const locate = (path: readonly (string | number)[], message: string): ConfigIssue => {
        positioned ??= parseWithPositions(file, text, env).parsed;
        return positioned.locate(path, message);
      };
      return { parsed: { file, value: substituted, locate }, issues: [] };
    }
  }
  // A syntax problem or a missing variable: the document with positions names each one.
  return parseWithPositions(file, text, env);
}

type Fast = { ok: true; value: unknown } | { ok: false };

/** The file's value, or not ok when it does not parse (the positioned parse says why). */
function parseFast(text: string): Fast {
  try {
    // JSON is YAML too; JSON.parse reads it fastest. js-yaml's default is the YAML 1.2 core
    // schema (no dates, no merge keys) and duplicate keys are errors, as in `yaml` below.
    const value: unknown = /^\s*[{[]/.test(text) ? parseJsonOrYaml(text) : load(text);
    return { ok: true, value: value ?? null };
  } catch {
    return { ok: false };
  }
}

/** JSON, unless it is flow-style YAML that only looks like JSON. */
function parseJsonOrYaml(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return load(text);
  }
}

/** `${NAME}` substituted in every string value (never in keys); missing variables named. */
function substituteValue(value: unknown, env: EnvLookup, missing: string[]): unknown {
  if (typeof value === 'string')
    return value.includes('$') ? substituteText(value, env, (name) => missing.push(name)) : value;
  if (Array.isArray(value)) return value.map((item) => substituteValue(item, env, missing));
  if (typeof value === 'object' && value !== null)
    // fromEntries defines keys as data (a `__proto__` key stays a key, as in the file).
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteValue(item, env, missing)]),
    );
  return value;
}

/** `${NAME}` references in one string replaced; each missing variable is passed to `onMissing`. */
function substituteText(text: string, env: EnvLookup, onMissing: (name: string) => void): string {
  return text.replace(REFERENCE, (whole, name?: string, fallback?: string) => {
    if (name === undefined) return '${';
    const found = env(name);
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    onMissing(name);
    return whole;
  });
}

/** The `yaml` document with positions: every syntax error and missing variable, placed. */
function parseWithPositions(
  file: string,
  text: string,
  env: EnvLookup,
): { parsed: ParsedConfig; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, message: string): ConfigIssue => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, path, message };
  };
  const issues: ConfigIssue[] = doc.errors.map((e) => at(e.pos[0], '', e.message));
  if (issues.length === 0) issues.push(...substituteEnv(doc, env, at));
  const locate = (path: readonly (string | number)[], message: string): ConfigIssue => {
    const node = deepestNode(doc, path);
    const offset = node?.range?.[0];
    const dotted = path.join('.');
    return offset === undefined
      ? { file, line: 0, col: 0, path: dotted, message }
      : at(offset, dotted, message);
  };
  return { parsed: { file, value: issues.length === 0 ? doc.toJS() : undefined, locate }, issues };
}

/** Replaces `${NAME}` references in every string scalar; one issue per missing variable. */
function substituteEnv(
  doc: Document,
  env: EnvLookup,
  at: (offset: number, path: string, message: string) => ConfigIssue,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      if (key === 'key') return; // map keys are names, never substituted
      const path = pathOf(ancestors, node);
      node.value = substituteText(node.value, env, (name) => {
        issues.push(at(node.range?.[0] ?? 0, path, `environment variable ${name} is not set`));
      });
    },
  });
  return issues;
}

/** The dotted path of a node from the ancestors `visit` gives. */
function pathOf(ancestors: readonly unknown[], node: Node): string {
  const parts: string[] = [];
  let child: unknown = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i];
    if (isPair(parent) && parent.value === child && isScalar(parent.key)) {
      parts.unshift(String(parent.key.value));
    } else if (isSeq(parent)) {
      parts.unshift(String(parent.items.indexOf(child)));
    }
    child = parent;
  }
  return parts.join('.');
}

/** The node at a path, or the deepest ancestor of it that exists (a missing field's object). */
function deepestNode(doc: Document, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    const next = isMap(node) || isSeq(node) ? node.get(segment, true) : undefined;
    if (next === undefined || next === null) break;
    node = next;
  }
  return isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
}

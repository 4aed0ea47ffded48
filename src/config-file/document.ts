import type { Document, Node } from 'yaml';
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
 * Parses YAML text, substitutes environment references in string values and reports every
 * syntax problem and missing variable at once (by position; values are never included, since
 * they may be secrets). Throws nothing: a result with `issues` is a file that cannot be used.
 */
export function parseConfigText(
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
      node.value = node.value.replace(REFERENCE, (whole, name?: string, fallback?: string) => {
        if (name === undefined) return '${';
        const value = env(name);
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        issues.push(at(node.range?.[0] ?? 0, path, `environment variable ${name} is not set`));
        return whole;
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

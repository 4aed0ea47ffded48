import { z } from 'zod';
import { checkTypeSchema, parseCheckConfig } from './registry.ts';
import { CHECK_TYPES } from '../domain/check-type.ts';
import type { CheckType } from '../domain/check-type.ts';
import { isAppError, validationError } from '../lib/errors.ts';
import type { FieldIssue } from '../lib/errors.ts';

/**
 * A canary: a target this node should always reach (its resolver, its gateway, a stable
 * endpoint). When most canaries fail, the node's own network is the likely problem, so its
 * failing votes become abstentions.
 */
export interface CanarySpec {
  type: CheckType;
  target: string;
  options: Record<string, unknown>;
}

/**
 * A canary as stored in `node.json`: target and options are re-validated by the check type's
 * own schema, so a hand-edited file cannot make the node run unchecked config.
 */
export const canarySpecSchema = z
  .object({
    type: checkTypeSchema,
    target: z.string().min(1),
    options: z.record(z.string(), z.unknown()),
  })
  .strict()
  .transform((spec, ctx): CanarySpec => {
    try {
      return { type: spec.type, ...parseCheckConfig(spec.type, spec.target, spec.options) };
    } catch (error) {
      if (!isAppError(error)) throw error;
      for (const issue of error.issues)
        ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
      return z.NEVER;
    }
  });

const EXAMPLES = 'e.g. tcp:192.168.1.1:53, icmp:192.168.1.1, http:http://intranet.local/health';

/** One `--canary <type>:<target>` value: the first `:` separates type from target. */
function parseOne(value: string): CanarySpec | string {
  // A bare URL names its own type: `--canary https://example.net/` means https.
  const url = /^(https?):\/\//i.exec(value);
  const cut = value.indexOf(':');
  if (url === null && cut <= 0) return `expected <type>:<target> (${EXAMPLES})`;
  const type = url?.[1]?.toLowerCase() ?? value.slice(0, cut).toLowerCase();
  const target = url === null ? value.slice(cut + 1) : value;
  const parsedType = checkTypeSchema.safeParse(type);
  if (!parsedType.success) return `unknown check type "${type}" (one of ${CHECK_TYPES.join(', ')})`;
  try {
    return { type: parsedType.data, ...parseCheckConfig(parsedType.data, target, {}) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return error.message;
  }
}

/**
 * Parses every `--canary` value, reporting all bad ones together (VALIDATION naming `--canary`).
 * Duplicates are dropped: the majority rule should not count one target twice.
 */
export function parseCanaryFlags(values: readonly string[]): CanarySpec[] {
  const issues: FieldIssue[] = [];
  const specs = new Map<string, CanarySpec>();
  for (const value of values) {
    const parsed = parseOne(value.trim());
    if (typeof parsed === 'string')
      issues.push({ path: '--canary', message: `${value}: ${parsed}` });
    else specs.set(`${parsed.type} ${parsed.target}`, parsed);
  }
  if (issues.length > 0) throw validationError(issues);
  return [...specs.values()];
}

/** `tcp:192.168.1.1:53`: how a canary is named in logs and health. */
export function canaryName(spec: CanarySpec): string {
  return `${spec.type}:${spec.target}`;
}

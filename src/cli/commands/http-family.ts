import { Option } from 'commander';
import type { Command } from 'commander';
import { getCheck } from '../../checks/registry.ts';
import type { CheckType } from '../../checks/types.ts';

/** Body-assertion types an `http`/`https` check turns into when their flags are given. */
const HTTP_REFINEMENTS: readonly CheckType[] = ['http_keyword', 'http_json'];

/**
 * Lets users write `check https URL --keyword X` (as they would expect) instead of naming
 * `http_keyword`: when an http/https command carries flags that only a body-assertion type
 * has, that type is used. Any other combination is left for validation to reject.
 */
export function inferHttpFamilyType(command: Command, type: CheckType): CheckType {
  if (type !== 'http' && type !== 'https') return type;
  const own = new Set(getCheck(type).flags.map((f) => f.flags));
  const given = (flags: string) =>
    command.getOptionValueSource(new Option(flags).attributeName()) === 'cli';
  for (const candidate of HTTP_REFINEMENTS) {
    const extra = getCheck(candidate).flags.filter((f) => !own.has(f.flags));
    if (extra.some((f) => given(f.flags))) return candidate;
  }
  return type;
}

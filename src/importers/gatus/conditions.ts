import { parseDuration } from '../../lib/duration.ts';
import type { MappingRow } from '../types.ts';
import { jsonLiteral } from '../values.ts';

/** What one Gatus condition says, in terms Crosscheck can act on. */
export type Condition =
  | { kind: 'status'; accepts: (code: number) => boolean }
  | { kind: 'response-time'; maxMs: number }
  | { kind: 'certificate'; minMs: number }
  | { kind: 'connected' }
  | { kind: 'dns-rcode' }
  | { kind: 'body-path'; assertion: string }
  | { kind: 'body-keyword'; keyword: string }
  | { kind: 'body-equals'; value: string }
  | { kind: 'unsupported'; placeholder: string; reason: string };

const COMPARISON = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/;
const ORDERING: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/**
 * Gatus condition placeholders and what each becomes; the parser below and
 * docs/importing.md read the same rows.
 */
export const GATUS_CONDITIONS: readonly MappingRow[] = [
  {
    source: '[STATUS] == 200 (also <, <=, >, >=, any(200, 201))',
    crosscheck: 'expectedStatus',
    note: 'all [STATUS] conditions together give the accepted codes',
  },
  {
    source: '[RESPONSE_TIME] < 300',
    crosscheck: 'degradedThresholdMs + degradedIsDown',
    note: 'slower answers count as failures, as in Gatus',
  },
  {
    source: '[BODY].path == value (also !=, <, <=, >, >=)',
    crosscheck: 'http_json assertion',
    note: '$.path with the value as a JSON literal',
  },
  {
    source: '[BODY] == pat(*text*)',
    crosscheck: 'http_keyword keyword',
    note: 'a pattern that only says “contains text”',
  },
  {
    source: '[BODY] == value (dns endpoints)',
    crosscheck: 'dns expect',
    note: 'the answer the query must return',
  },
  {
    source: '[CONNECTED] == true',
    crosscheck: 'the check itself',
    note: 'every Crosscheck check fails when it cannot connect',
  },
  {
    source: '[DNS_RCODE] == NOERROR',
    crosscheck: 'the dns check itself',
    note: 'any other answer code fails it; expecting another code is reported',
  },
  {
    source: '[CERTIFICATE_EXPIRATION] > 48h',
    crosscheck: 'an extra tls monitor',
    note: '“<name> certificate”, warnDays rounded up from the duration, degraded counted as down',
  },
  {
    source:
      '[IP], [DOMAIN_EXPIRATION], len(), has(), other pat()/any() forms, !=/ordering on [STATUS] text',
    crosscheck: null,
    note: 'reported, with the condition',
  },
];

/** Reads one condition; anything Crosscheck cannot express is `unsupported` with the reason. */
export function parseCondition(condition: string): Condition {
  const match = COMPARISON.exec(condition.trim());
  if (match === null) return unsupported(condition, 'is not “placeholder operator value”');
  const [, rawLeft = '', operator = '', rawRight = ''] = match;
  const left = rawLeft.trim();
  const right = rawRight.trim();
  const upper = left.toUpperCase();
  if (upper === '[STATUS]') return statusCondition(operator, right);
  if (upper === '[RESPONSE_TIME]') return responseTime(operator, right);
  if (upper === '[CERTIFICATE_EXPIRATION]') return certificate(operator, right);
  if (upper === '[CONNECTED]')
    return operator === '==' && right === 'true'
      ? { kind: 'connected' }
      : unsupported(left, 'only [CONNECTED] == true has an equivalent');
  if (upper === '[DNS_RCODE]')
    return operator === '==' && right.toUpperCase() === 'NOERROR'
      ? { kind: 'dns-rcode' }
      : unsupported(left, 'the dns check fails on any answer code but NOERROR');
  if (upper === '[BODY]') return bodyCondition(operator, right);
  if (upper.startsWith('[BODY].') || upper.startsWith('[BODY]['))
    return bodyPath(left, operator, right);
  const found = /^\[[A-Z_]+\]|^[a-z]+\(/i.exec(left)?.[0];
  const placeholder = found === undefined ? left : found.endsWith('(') ? `${found})` : found;
  return unsupported(placeholder, `${placeholder} has no Crosscheck equivalent`);
}

function unsupported(placeholder: string, reason: string): Condition {
  return { kind: 'unsupported', placeholder, reason };
}

function statusCondition(operator: string, right: string): Condition {
  const any = /^any\((.*)\)$/i.exec(right);
  if (any !== null && operator === '==') {
    const codes = (any[1] ?? '').split(',').map((c) => Number(c.trim()));
    if (codes.every((c) => Number.isInteger(c)))
      return { kind: 'status', accepts: (code) => codes.includes(code) };
  }
  const compare = ORDERING[operator];
  const value = Number(right);
  if (compare === undefined || !Number.isInteger(value))
    return unsupported(
      '[STATUS]',
      `[STATUS] ${operator} ${right} has no expected-status equivalent`,
    );
  return { kind: 'status', accepts: (code) => compare(code, value) };
}

function responseTime(operator: string, right: string): Condition {
  const ms = Number(right);
  if ((operator === '<' || operator === '<=') && Number.isFinite(ms) && ms > 0)
    return { kind: 'response-time', maxMs: Math.round(ms) };
  return unsupported(
    '[RESPONSE_TIME]',
    `[RESPONSE_TIME] ${operator} ${right}: only an upper bound has an equivalent`,
  );
}

function certificate(operator: string, right: string): Condition {
  const ms = parseDuration(right);
  if ((operator === '>' || operator === '>=') && ms !== undefined && ms > 0)
    return { kind: 'certificate', minMs: ms };
  return unsupported(
    '[CERTIFICATE_EXPIRATION]',
    `[CERTIFICATE_EXPIRATION] ${operator} ${right}: only a minimum time left has an equivalent`,
  );
}

function bodyCondition(operator: string, right: string): Condition {
  const pattern = /^pat\(\*([^*?]+)\*\)$/i.exec(right);
  if (operator === '==' && pattern !== null)
    return { kind: 'body-keyword', keyword: pattern[1] ?? '' };
  if (operator === '==' && !/^[a-z]+\(/i.test(right)) return { kind: 'body-equals', value: right };
  return unsupported(
    '[BODY]',
    `[BODY] ${operator} ${right} has no equivalent (a “contains” pattern does)`,
  );
}

function bodyPath(left: string, operator: string, right: string): Condition {
  const path = left.slice('[BODY]'.length);
  const valid = /^(\.[A-Za-z_]\w*|\[\d+\])+$/.test(path);
  if (!valid || /^[a-z]+\(/i.test(right))
    return unsupported('[BODY]', `${left} ${operator} ${right} has no JSON assertion equivalent`);
  return { kind: 'body-path', assertion: `$${path} ${operator} ${jsonLiteral(right)}` };
}

import { z } from 'zod';
import type { SharedCause } from '../domain/cause-group.ts';
import { hostCauses } from './shared-causes.ts';
import { validationError } from '../lib/errors.ts';
import type { CheckDefinition, CheckFlag, CheckType } from './types.ts';
import { CHECK_TYPES } from './types.ts';
import { httpCheck, httpsCheck } from './http/index.ts';
import { httpKeywordCheck } from './http_keyword/index.ts';
import { httpJsonCheck } from './http_json/index.ts';
import { tcpCheck } from './tcp/index.ts';
import { dnsCheck } from './dns/index.ts';
import { icmpCheck } from './icmp/index.ts';
import { tlsCheck } from './tls/index.ts';
import { postgresCheck } from './postgres/index.ts';
import { udpCheck } from './udp/index.ts';
import { websocketCheck } from './websocket/index.ts';
import { sshCheck } from './ssh/index.ts';
import { redisCheck } from './redis/index.ts';
import { grpcCheck } from './grpc/index.ts';
import { mysqlCheck } from './mysql/index.ts';
import { mqttCheck } from './mqtt/index.ts';
import { smtpCheck } from './smtp/index.ts';
import { imapCheck } from './imap/index.ts';
import { pop3Check } from './pop3/index.ts';
import { domainCheck } from './domain/index.ts';
import { pushCheck } from './push/index.ts';
import { browserCheck } from './browser/index.ts';

/**
 * Every check type, one line each. A missing type is a type error. `run` is declared as a
 * method, so its options parameter is checked bivariantly and typed definitions fit `unknown`.
 */
const registry: { readonly [K in CheckType]: CheckDefinition<unknown> } = {
  http: httpCheck,
  https: httpsCheck,
  http_keyword: httpKeywordCheck,
  http_json: httpJsonCheck,
  tcp: tcpCheck,
  dns: dnsCheck,
  icmp: icmpCheck,
  tls: tlsCheck,
  postgres: postgresCheck,
  udp: udpCheck,
  websocket: websocketCheck,
  ssh: sshCheck,
  redis: redisCheck,
  grpc: grpcCheck,
  mysql: mysqlCheck,
  mqtt: mqttCheck,
  smtp: smtpCheck,
  imap: imapCheck,
  pop3: pop3Check,
  domain: domainCheck,
  push: pushCheck,
  browser: browserCheck,
};

// Widening to `unknown` options is safe here: options only ever reach `run` after
// passing the same definition's `optionsSchema` in `parseCheckConfig`.
type AnyCheckDefinition = CheckDefinition<unknown>;

export const checkTypeSchema = z.enum(CHECK_TYPES);

/** Looks up a check type's definition. */
/** What a failure of this monitor's check can visibly share with other monitors'. */
export function sharedCausesOf(type: CheckType, target: string, options: unknown): SharedCause[] {
  const definition = getCheck(type);
  return definition.sharedCauses?.(target, options) ?? hostCauses(target);
}

/** Whether a type's checks may run on a check thread (see `mainThreadOnly`). */
export function runsOnCheckThreads(type: CheckType): boolean {
  return getCheck(type).mainThreadOnly !== true;
}

export function getCheck(type: CheckType): AnyCheckDefinition {
  return registry[type];
}

/** All definitions, in declaration order. */
export function listChecks(): AnyCheckDefinition[] {
  return CHECK_TYPES.map((type) => getCheck(type));
}

/** Every distinct CLI flag any check type declares (for the CLI to register once). */
export function allCheckFlags(): CheckFlag[] {
  const byFlag = new Map<string, CheckFlag>();
  for (const definition of listChecks()) {
    for (const flag of definition.flags) if (!byFlag.has(flag.flags)) byFlag.set(flag.flags, flag);
  }
  return [...byFlag.values()];
}

/** Validates a target and options for a type, reporting every problem with its field path. */
export function parseCheckConfig(
  type: CheckType,
  target: unknown,
  options: unknown,
): { target: string; options: Record<string, unknown> } {
  const definition = getCheck(type);
  const issues: { path: string; message: string }[] = [];
  const parsedTarget = definition.targetSchema.safeParse(target);
  if (!parsedTarget.success) {
    for (const issue of parsedTarget.error.issues)
      issues.push({ path: 'target', message: issue.message });
  }
  const parsedOptions = definition.optionsSchema.safeParse(options ?? {});
  if (!parsedOptions.success) {
    for (const issue of parsedOptions.error.issues) {
      const path = ['options', ...issue.path.map(String)].join('.');
      issues.push({ path, message: issue.message });
    }
  }
  if (!parsedTarget.success || !parsedOptions.success) throw validationError(issues);
  return {
    target: parsedTarget.data,
    options: parsedOptions.data as Record<string, unknown>,
  };
}

/** A monitor's options for display: the type's own redaction, or the options as they are. */
export function redactCheckOptions(
  type: CheckType,
  options: Record<string, unknown>,
): Record<string, unknown> {
  const definition = getCheck(type);
  return definition.redact ? (definition.redact(options) as Record<string, unknown>) : options;
}

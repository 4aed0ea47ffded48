import type { CheckType } from '../../checks/types.ts';
import type { MappingRow } from '../types.ts';
import type { Condition } from './conditions.ts';
import type { GatusEndpoint } from './source.ts';

/** An endpoint's check: Crosscheck type, target and options, plus what it could not say. */
export interface EndpointCheck {
  type: CheckType;
  target: string;
  options: Record<string, unknown>;
  degradedIsDown: boolean;
  /** Conditions with no place in this check, each with the reason. */
  leftOver: { placeholder: string; reason: string }[];
  /** `[CERTIFICATE_EXPIRATION]`: a tls monitor beside this one, as `host:port`. */
  certificate?: { target: string; warnDays: number } | undefined;
  /** Settings that are not carried over but are no condition (an ssh endpoint's command). */
  warnings?: string[];
}

const DAY_MS = 86_400_000;
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Endpoint kinds by URL scheme (Gatus infers the kind from the URL and the `dns`/`ssh` keys). */
export const GATUS_ENDPOINT_KINDS: readonly MappingRow[] = [
  {
    source: 'http:// https://',
    crosscheck: 'http / https / http_keyword / http_json',
    note: 'by the conditions: [BODY].path → http_json, [BODY] == pat(*text*) → http_keyword; method, body, headers, client.insecure, client.ignore-redirect',
  },
  { source: 'tcp://host:port', crosscheck: 'tcp', note: 'host:port' },
  { source: 'icmp://host', crosscheck: 'icmp', note: 'host' },
  { source: 'tls://host:port', crosscheck: 'tls', note: 'host:port; client.insecure' },
  {
    source: 'starttls://host:port',
    crosscheck: 'smtp',
    note: 'Gatus speaks SMTP STARTTLS there: host:port with STARTTLS required (tls starttls); client.insecure',
  },
  {
    source: 'ssh://host[:port]',
    crosscheck: 'ssh',
    note: 'banner and host key; ssh.username with ssh.password or ssh.private-key as a login (masked); the body’s command and [STATUS]/[BODY] are reported',
  },
  {
    source: 'dns (url + dns.query-name/query-type)',
    crosscheck: 'dns',
    note: 'query-name as target, query-type as record type, url as resolver, [BODY] == x as expected answer',
  },
  {
    source: 'udp://host:port',
    crosscheck: 'udp',
    note: 'body as the datagram sent, [BODY] == pat(*text*) as expect; without a body it is reported (no reply, nothing to judge)',
  },
  {
    source: 'ws:// wss://',
    crosscheck: 'websocket',
    note: 'body as the message sent, [BODY] == pat(*text*) as expect on the first message; headers, client.insecure',
  },
  {
    source: 'grpc:// grpcs://',
    crosscheck: 'grpc',
    note: 'the health service of the whole server, as Gatus asks; grpcs:// → TLS verified (client.insecure → skip-verify); [BODY].status == X as the expected status',
  },
  {
    source: 'sctp://',
    crosscheck: null,
    note: 'Crosscheck has no check for these protocols',
  },
  {
    source: 'external-endpoints',
    crosscheck: null,
    note: 'their status is pushed to Gatus’s own API (bearer token, no schedule); create a push monitor by hand (docs/push.md)',
  },
];

const UNSUPPORTED_SCHEMES: Record<string, string> = {
  'sctp:': 'SCTP endpoints have no Crosscheck check type',
};

/** The endpoint's check from its URL, settings and parsed conditions, or why it has none. */
export function endpointCheck(
  endpoint: GatusEndpoint,
  conditions: readonly Condition[],
): EndpointCheck | { refused: string } {
  if (endpoint.dns !== undefined) return dnsCheck(endpoint, conditions);
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(endpoint.url)?.[1]?.toLowerCase();
  if (endpoint.ssh !== undefined || scheme === 'ssh:') return sshCheck(endpoint, conditions);
  if (scheme === 'http:' || scheme === 'https:') return httpCheck(endpoint, conditions, scheme);
  const rest = endpoint.url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (scheme === 'tcp:') return simple('tcp', rest, conditions, {});
  if (scheme === 'icmp:') return simple('icmp', rest, conditions, {});
  if (scheme === 'tls:')
    return simple(
      'tls',
      rest,
      conditions,
      endpoint.client?.insecure === true ? { insecure: true } : {},
    );
  if (scheme === 'starttls:')
    return simple('smtp', rest, conditions, {
      tls: 'starttls',
      ...(endpoint.client?.insecure === true ? { insecure: true } : {}),
    });
  if (scheme === 'udp:') return udpCheck(endpoint, rest, conditions);
  if (scheme === 'ws:' || scheme === 'wss:') return websocketCheck(endpoint, conditions);
  if (scheme === 'grpc:' || scheme === 'grpcs:')
    return grpcCheck(endpoint, rest.replace(/\/$/, ''), scheme === 'grpcs:', conditions);
  const reason = scheme === undefined ? undefined : UNSUPPORTED_SCHEMES[scheme];
  return { refused: reason ?? `the URL ${endpoint.url} is not one Gatus or Crosscheck checks` };
}

function simple(
  type: CheckType,
  target: string,
  conditions: readonly Condition[],
  options: Record<string, unknown>,
): EndpointCheck {
  const check: EndpointCheck = { type, target, options, degradedIsDown: false, leftOver: [] };
  for (const condition of conditions) {
    if (condition.kind === 'connected') continue;
    if (condition.kind === 'response-time') applyResponseTime(check, condition.maxMs);
    else if (condition.kind === 'certificate' && type === 'tls')
      check.options['warnDays'] = Math.ceil(condition.minMs / DAY_MS);
    else leave(check, condition, type);
  }
  if (type === 'tls' && check.options['warnDays'] !== undefined) check.degradedIsDown = true;
  return check;
}

/**
 * Gatus sends `body` and reads one datagram back. Without a body it only "dials", which a UDP
 * socket always can: nothing is judged, so there is nothing to carry over.
 */
function udpCheck(
  endpoint: GatusEndpoint,
  target: string,
  conditions: readonly Condition[],
): EndpointCheck | { refused: string } {
  if (endpoint.body === undefined || endpoint.body === '')
    return {
      refused:
        'a UDP endpoint without a body sends nothing and so cannot be judged; the udp check needs a payload (body) and a reply',
    };
  // Gatus sends the body as written; the udp check decodes \ escapes, so backslashes are doubled.
  const send = endpoint.body.replaceAll('\\', '\\\\');
  return replyCheck('udp', target, { send }, conditions);
}

/** Gatus opens the socket, sends `body` (even empty) and reads the first message. */
function websocketCheck(endpoint: GatusEndpoint, conditions: readonly Condition[]): EndpointCheck {
  const options: Record<string, unknown> = {
    ...(endpoint.body === undefined || endpoint.body === '' ? {} : { send: endpoint.body }),
    ...(endpoint.headers === undefined ? {} : { headers: endpoint.headers }),
    ...(endpoint.client?.insecure === true ? { insecure: true } : {}),
  };
  return replyCheck('websocket', endpoint.url, options, conditions);
}

/** A check judged on one reply: a “contains” body pattern becomes its `expect`. */
function replyCheck(
  type: 'udp' | 'websocket',
  target: string,
  options: Record<string, unknown>,
  conditions: readonly Condition[],
): EndpointCheck {
  const check: EndpointCheck = { type, target, options, degradedIsDown: false, leftOver: [] };
  for (const condition of conditions) {
    if (condition.kind === 'connected') continue;
    if (condition.kind === 'response-time') applyResponseTime(check, condition.maxMs);
    else if (condition.kind === 'body-keyword' && check.options['expect'] === undefined)
      check.options['expect'] = condition.keyword;
    else if (condition.kind === 'body-keyword')
      check.leftOver.push({
        placeholder: '[BODY]',
        reason: `only one expected reply per check; pat(*${condition.keyword}*) is left out`,
      });
    else leave(check, condition, type);
  }
  return check;
}

function dnsCheck(endpoint: GatusEndpoint, conditions: readonly Condition[]): EndpointCheck {
  const dns = endpoint.dns ?? { 'query-name': '', 'query-type': 'A' };
  const check: EndpointCheck = {
    type: 'dns',
    target: dns['query-name'],
    options: {
      recordType: dns['query-type'].toUpperCase(),
      resolver: endpoint.url.replace(/^[a-z]+:\/\//i, ''),
    },
    degradedIsDown: false,
    leftOver: [],
  };
  const expected: string[] = [];
  for (const condition of conditions) {
    if (condition.kind === 'dns-rcode') continue;
    if (condition.kind === 'body-equals') expected.push(condition.value);
    else if (condition.kind === 'response-time') applyResponseTime(check, condition.maxMs);
    else leave(check, condition, 'dns');
  }
  if (expected.length > 0) check.options['expect'] = expected;
  return check;
}

function httpCheck(
  endpoint: GatusEndpoint,
  conditions: readonly Condition[],
  scheme: 'http:' | 'https:',
): EndpointCheck | { refused: string } {
  const method = (endpoint.method ?? 'GET').toUpperCase();
  if (!HTTP_METHODS.has(method)) return { refused: `HTTP method ${method} is not supported` };
  const options: Record<string, unknown> = {
    method,
    ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
    ...(endpoint.headers === undefined ? {} : { headers: endpoint.headers }),
    ...(endpoint.client?.insecure === true ? { insecure: true } : {}),
    ...(endpoint.client?.['ignore-redirect'] === true ? { followRedirects: false } : {}),
  };
  const check: EndpointCheck = {
    type: scheme === 'https:' ? 'https' : 'http',
    target: endpoint.url,
    options,
    degradedIsDown: false,
    leftOver: [],
  };
  const statuses: ((code: number) => boolean)[] = [];
  const assertions: string[] = [];
  const keywords: string[] = [];
  for (const condition of conditions) {
    if (condition.kind === 'status') statuses.push(condition.accepts);
    else if (condition.kind === 'body-path') assertions.push(condition.assertion);
    else if (condition.kind === 'body-keyword') keywords.push(condition.keyword);
    else if (condition.kind === 'response-time') applyResponseTime(check, condition.maxMs);
    else if (condition.kind === 'connected') continue;
    else if (condition.kind === 'certificate' && scheme === 'https:')
      check.certificate = certificateMonitor(endpoint.url, condition.minMs);
    else leave(check, condition, 'http');
  }
  if (statuses.length > 0) check.options['expectedStatus'] = statusRanges(statuses);
  else check.options['expectedStatus'] = ['100-599']; // Gatus judges only what its conditions say
  if (assertions.length > 0) {
    check.type = 'http_json';
    check.options['assertions'] = assertions;
    for (const keyword of keywords)
      check.leftOver.push({
        placeholder: '[BODY]',
        reason: `pat(*${keyword}*) cannot join JSON assertions in one check`,
      });
  } else if (keywords.length > 0) {
    check.type = 'http_keyword';
    check.options['keyword'] = keywords[0];
    for (const keyword of keywords.slice(1))
      check.leftOver.push({
        placeholder: '[BODY]',
        reason: `only one keyword per check; pat(*${keyword}*) is left out`,
      });
  }
  return check;
}

/** Gatus calls grpc.health.v1.Health/Check for the whole server (service ""), as the check does. */
function grpcCheck(
  endpoint: GatusEndpoint,
  target: string,
  tls: boolean,
  conditions: readonly Condition[],
): EndpointCheck {
  const insecure = endpoint.client?.insecure === true;
  const options = { tls: tls ? (insecure ? 'skip-verify' : 'verify') : 'off' };
  const check: EndpointCheck = {
    type: 'grpc',
    target,
    options,
    degradedIsDown: false,
    leftOver: [],
  };
  for (const condition of conditions) {
    const status =
      condition.kind === 'body-path' ? /^\$\.status == "(\w+)"$/.exec(condition.assertion) : null;
    if (condition.kind === 'connected') continue;
    if (condition.kind === 'response-time') applyResponseTime(check, condition.maxMs);
    else if (status?.[1] !== undefined) check.options['expect'] = status[1];
    else leave(check, condition, 'grpc');
  }
  return check;
}

function applyResponseTime(check: EndpointCheck, maxMs: number): void {
  check.options['degradedThresholdMs'] = maxMs;
  check.degradedIsDown = true;
}

function leave(check: EndpointCheck, condition: Condition, type: string): void {
  if (condition.kind === 'unsupported')
    check.leftOver.push({ placeholder: condition.placeholder, reason: condition.reason });
  else
    check.leftOver.push({
      placeholder: condition.kind,
      reason: `does not apply to a ${type} check`,
    });
}

function certificateMonitor(url: string, minMs: number): EndpointCheck['certificate'] {
  // A URL new URL() refuses fails the http monitor's own validation, which reports it.
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const port = parsed.port === '' ? '443' : parsed.port;
  return { target: `${parsed.hostname}:${port}`, warnDays: Math.ceil(minMs / DAY_MS) };
}

/** The codes every [STATUS] condition accepts, as ranges (`200-299`, `301`). */
function statusRanges(accepts: readonly ((code: number) => boolean)[]): string[] {
  const ranges: string[] = [];
  let start: number | undefined;
  for (let code = 100; code <= 600; code++) {
    const ok = code < 600 && accepts.every((accept) => accept(code));
    if (ok && start === undefined) start = code;
    if (!ok && start !== undefined) {
      ranges.push(start === code - 1 ? String(start) : `${start}-${code - 1}`);
      start = undefined;
    }
  }
  return ranges;
}

/**
 * Gatus's ssh endpoint: without credentials it checks the banner, with them it logs in and runs
 * `body`'s command, judged by [STATUS] (exit code) and [BODY] (output). The ssh check logs in
 * but runs nothing, so the command and the conditions on its result are reported.
 */
function sshCheck(endpoint: GatusEndpoint, conditions: readonly Condition[]): EndpointCheck {
  const settings = endpoint.ssh ?? {};
  const text = (key: string): string | undefined => {
    const value = settings[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const username = text('username');
  const password = text('password');
  const privateKey = text('private-key');
  const login = username !== undefined && (password !== undefined || privateKey !== undefined);
  const options: Record<string, unknown> = login
    ? {
        username,
        ...(password === undefined ? {} : { password }),
        ...(privateKey === undefined ? {} : { privateKey }),
      }
    : {};
  const check = simple('ssh', endpoint.url.replace(/^ssh:\/\//i, ''), [], options);
  check.warnings = [];
  if (endpoint.body !== undefined && endpoint.body.trim() !== '')
    check.warnings.push('its command (body) is not run: the ssh check logs in and runs nothing');
  for (const condition of conditions) {
    if (condition.kind === 'connected') continue;
    if (condition.kind === 'response-time') applyResponseTime(check, condition.maxMs);
    else if (condition.kind === 'status')
      check.leftOver.push({
        placeholder: '[STATUS]',
        reason: 'the exit status of a command: the ssh check runs no command',
      });
    else if (
      condition.kind === 'body-path' ||
      condition.kind === 'body-keyword' ||
      condition.kind === 'body-equals'
    )
      check.leftOver.push({
        placeholder: '[BODY]',
        reason: 'the output of a command: the ssh check runs no command',
      });
    else leave(check, condition, 'ssh');
  }
  return check;
}

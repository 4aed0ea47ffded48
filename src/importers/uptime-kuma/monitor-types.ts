import { PUSH_TOKEN_PATTERN } from '../../checks/push/token.ts';
import type { CheckType } from '../../checks/types.ts';
import type { MappingRow } from '../types.ts';
import { hostPort, jsonLiteral } from '../values.ts';
import type { MappedCheck, Refusal } from './mapped-check.ts';
import { mqttCheck, mysqlCheck } from './protocol-monitors.ts';
import type { KumaMonitor } from './source.ts';

export type { MappedCheck, Refusal } from './mapped-check.ts';

interface TypeMapping {
  crosscheck: string | null;
  note: string;
  map?: (monitor: KumaMonitor) => MappedCheck | Refusal;
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const MAX_REDIRECTS = 20;
const DNS_RECORD_TYPES = new Set(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'CAA']);
/** json-query operators Crosscheck's JSON assertions share (2.x `json_path_operator`). */
const JSON_OPERATORS = new Set(['==', '!=', '<', '<=', '>', '>=', 'contains']);

const unmapped = (reason: string): TypeMapping => ({ crosscheck: null, note: reason });

/**
 * Every Uptime Kuma monitor type (2.0's list, which includes all of 1.23's), what it becomes
 * and how, or why it has no equivalent. The mapper and docs/importing.md read this table.
 */
export const KUMA_MONITOR_TYPES: Readonly<Record<string, TypeMapping>> = {
  http: {
    crosscheck: 'http / https',
    note: 'https for https:// URLs; method, body, headers, basic auth (as an Authorization header), accepted status codes, max redirects, ignore TLS errors',
    map: (m) => httpCheck(m, m.url?.startsWith('https://') === true ? 'https' : 'http', {}),
  },
  keyword: {
    crosscheck: 'http_keyword',
    note: 'keyword, "invert keyword" → invert; the HTTP settings as for http',
    map: (m) =>
      m.keyword === null
        ? { refused: 'a keyword monitor without a keyword' }
        : httpCheck(m, 'http_keyword', { keyword: m.keyword, invert: m.invertKeyword }),
  },
  'json-query': {
    crosscheck: 'http_json',
    note: 'a simple JSONata path (a.b[0].c) with its operator and expected value becomes one JSONPath assertion; other JSONata expressions are reported',
    map: jsonQueryCheck,
  },
  port: {
    crosscheck: 'tcp',
    note: 'hostname and port as host:port',
    map: (m) =>
      m.hostname === null || m.port === null
        ? { refused: 'a TCP port monitor without a hostname and port' }
        : { type: 'tcp', target: hostPort(m.hostname, m.port), options: {} },
  },
  ping: {
    crosscheck: 'icmp',
    note: 'hostname; the packet size is not carried over',
    map: (m) =>
      m.hostname === null
        ? { refused: 'a ping monitor without a hostname' }
        : { type: 'icmp', target: m.hostname, options: {} },
  },
  dns: {
    crosscheck: 'dns',
    note: 'hostname, record type (A, AAAA, CNAME, MX, TXT, NS, SOA, SRV, CAA) and resolver server:port',
    map: dnsCheck,
  },
  'websocket-upgrade': {
    crosscheck: 'websocket',
    note: 'URL and subprotocol (the first, when several are listed); up when the upgrade succeeds, closed cleanly with 1000. Accepted close codes other than 1000 and “ignore Sec-WebSocket-Accept” are not carried over (reported)',
    map: websocketCheck,
  },
  group: {
    crosscheck: 'group',
    note: 'not a check: its members get its name as their group',
  },
  push: {
    crosscheck: 'push',
    note: 'its push token is kept, so jobs keep their URL’s token (Crosscheck also answers Kuma’s `/api/push/<token>` path); the heartbeat interval becomes the period, with the same again as grace',
    map: pushCheck,
  },
  docker: unmapped(
    'reads a container’s state from a Docker daemon; Crosscheck checks over the network only',
  ),
  gamedig: unmapped('game server queries (GameDig) have no Crosscheck check type'),
  steam: unmapped('Steam game server queries have no Crosscheck check type'),
  mqtt: {
    crosscheck: 'mqtt',
    note: 'hostname (mqtt:// or mqtts://) and port, topic, success message as the expected text, user name and password (a secret); the json-query check type and ws:// brokers are reported',
    map: mqttCheck,
  },
  'kafka-producer': unmapped('Kafka producers have no Crosscheck check type'),
  rabbitmq: unmapped('RabbitMQ management checks have no Crosscheck check type'),
  'grpc-keyword': unmapped(
    'calls an arbitrary gRPC method from a .proto and looks for a keyword in its reply; the grpc check calls the standard health service (grpc.health.v1) only, so add a grpc monitor by hand if the server offers it',
  ),
  sqlserver: unmapped(
    'database queries (SQL Server) have no Crosscheck check type; a tcp monitor on its port is the closest',
  ),
  postgres: {
    crosscheck: 'postgres',
    note: 'the connection URL becomes host:port with user, database and the password (a secret); sslmode require / verify-ca / verify-full → tls require / verify, none or disable → off (as in Kuma); the query is run read-only',
    map: postgresCheck,
  },
  mysql: {
    crosscheck: 'mysql',
    note: 'the mysql:// connection URL becomes host:port with user, database and the password (a secret); TLS off (as Kuma connected); the query is run read-only',
    map: mysqlCheck,
  },
  mongodb: unmapped(
    'database queries (MongoDB) have no Crosscheck check type; a tcp monitor on its port is the closest',
  ),
  redis: {
    crosscheck: 'redis',
    note: 'the connection string’s host, port and db as the target; its user and password as the masked options; ignore TLS errors → insecure; PING',
    map: redisCheck,
  },
  radius: unmapped('RADIUS authentication has no Crosscheck check type'),
  snmp: unmapped('SNMP queries have no Crosscheck check type'),
  smtp: {
    crosscheck: 'smtp',
    note: 'hostname and port (25 when unset) as the target; smtp security secure → implicit TLS (smtps://), starttls → STARTTLS required, nostarttls → tls off, unset → STARTTLS when offered; ignore TLS errors → insecure',
    map: smtpCheck,
  },
  'real-browser': {
    crosscheck: 'browser',
    note: 'the URL is opened in Chromium (the first step of every browser check); the keyword becomes an expectText step; ignore TLS errors → insecure. An inverted keyword and a remote browser are not carried over (reported)',
    map: realBrowserCheck,
  },
  'tailscale-ping': unmapped(
    'Tailscale pings go through the local tailscale daemon; Crosscheck has no such check',
  ),
  globalping: unmapped(
    'Globalping runs checks from its own probes; Crosscheck’s nodes are its vantage points',
  ),
  rtsp: unmapped('RTSP streams have no Crosscheck check type'),
  'system-service': unmapped(
    'local service managers (systemd, Windows services) are not reachable over the network',
  ),
  manual: unmapped('manual monitors are set up or down by hand; Crosscheck monitors always check'),
};

/** The table as documentation rows, in declaration order. */
export function kumaMonitorRows(): MappingRow[] {
  return Object.entries(KUMA_MONITOR_TYPES).map(([source, m]) => ({
    source,
    crosscheck: m.crosscheck,
    note: m.note,
  }));
}

/** TLS as Kuma's node-postgres connected: no `sslmode` means no TLS. */
const SSL_MODES: Readonly<Record<string, 'off' | 'require' | 'verify'>> = {
  disable: 'off',
  allow: 'off',
  prefer: 'off',
  'no-verify': 'require',
  require: 'require',
  'verify-ca': 'verify',
  'verify-full': 'verify',
};

/** A Kuma postgres monitor: its `postgres://` connection URL split into target and options. */
function postgresCheck(m: KumaMonitor): MappedCheck | Refusal {
  const text = m.databaseConnectionString;
  if (text === null) return { refused: 'a PostgreSQL monitor without a connection string' };
  if (!/^postgres(ql)?:\/\//i.test(text) || !URL.canParse(text))
    return { refused: 'only postgres:// connection URLs are read (not key=value strings)' };
  const url = new URL(text);
  const sslmode = url.searchParams.get('sslmode') ?? 'disable';
  const tls = SSL_MODES[sslmode];
  if (tls === undefined) return { refused: `sslmode ${sslmode} is not known` };
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const options: Record<string, unknown> = {
    username: url.username === '' ? 'postgres' : decodeURIComponent(url.username),
    tls,
  };
  if (url.password !== '') options['password'] = decodeURIComponent(url.password);
  if (database !== '') options['database'] = database;
  if (m.databaseQuery !== null) options['query'] = m.databaseQuery;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { type: 'postgres', target: hostPort(host, Number(url.port || 5432)), options };
}

function httpCheck(
  m: KumaMonitor,
  type: CheckType,
  extra: Record<string, unknown>,
): MappedCheck | Refusal {
  if (m.url === null) return { refused: 'an HTTP monitor without a URL' };
  const method = (m.method ?? 'GET').toUpperCase();
  if (!HTTP_METHODS.has(method)) return { refused: `HTTP method ${method} is not supported` };
  const headers = parseHeaders(m.headers);
  if (typeof headers === 'string') return { refused: headers };
  const auth = authHeader(m);
  if (typeof auth === 'object') return auth;
  if (auth !== undefined) headers['Authorization'] = auth;
  const options: Record<string, unknown> = {
    method,
    expectedStatus: m.acceptedStatuscodes,
    insecure: m.ignoreTls,
    ...(m.maxredirects === 0
      ? { followRedirects: false }
      : { maxRedirects: Math.min(m.maxredirects, MAX_REDIRECTS) }),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(m.body !== null && method !== 'GET' && method !== 'HEAD' ? { body: m.body } : {}),
    ...extra,
  };
  return { type, target: m.url, options };
}

function parseHeaders(json: string | null): Record<string, string> | string {
  if (json === null) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    // reported below
  }
  return 'its headers are not a JSON object';
}

/** Basic auth as a header value; other Kuma auth methods have no equivalent. */
function authHeader(m: KumaMonitor): string | Refusal | undefined {
  const method = m.authMethod ?? (m.basicAuthUser !== null ? 'basic' : null);
  if (method === null) return undefined;
  if (method !== 'basic')
    return { refused: `${method} authentication has no Crosscheck equivalent (basic auth does)` };
  if (m.basicAuthUser === null) return undefined;
  const pair = `${m.basicAuthUser}:${m.basicAuthPass ?? ''}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

function jsonQueryCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.jsonPath === null) return { refused: 'a json-query monitor without a query' };
  const path = jsonataToJsonPath(m.jsonPath);
  if (path === undefined)
    return {
      refused: `the JSONata expression ${JSON.stringify(m.jsonPath)} is not a plain path, which is all JSONPath assertions can say`,
    };
  const operator = m.jsonPathOperator ?? '==';
  if (!JSON_OPERATORS.has(operator))
    return { refused: `the json-query operator ${operator} has no JSON assertion equivalent` };
  const expected = m.expectedValue ?? '';
  return httpCheck(m, 'http_json', {
    assertions: [`${path} ${operator} ${jsonLiteral(expected)}`],
  });
}

/** `data.items[0].state` or `$.status` → `$.data.items[0].state`; undefined for anything else. */
export function jsonataToJsonPath(expression: string): string | undefined {
  const trimmed = expression.trim().replace(/^\$\.?/, '');
  if (trimmed === '') return '$';
  const step = String.raw`[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*`;
  if (!new RegExp(`^${step}(\\.${step})*$`).test(trimmed)) return undefined;
  return `$.${trimmed}`;
}

/**
 * Kuma opens the socket, closes it with 1000 at once and judges the close code it gets back;
 * the websocket check closes the same way and judges the upgrade.
 */
function realBrowserCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.url === null) return { refused: 'a real-browser monitor without a URL' };
  const warnings: string[] = [];
  const steps: Record<string, unknown>[] = [];
  if (m.keyword !== null && m.keyword !== '') {
    if (m.invertKeyword)
      warnings.push('the inverted keyword is not carried over: the page is only opened');
    else steps.push({ action: 'expectText', text: m.keyword });
  }
  return {
    type: 'browser',
    target: m.url,
    options: { steps, ...(m.ignoreTls ? { insecure: true } : {}) },
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}

function websocketCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.url === null) return { refused: 'a websocket-upgrade monitor without a URL' };
  const protocols = (m.wsSubprotocol ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const warnings: string[] = [];
  if (protocols.length > 1)
    warnings.push(`only the first subprotocol (${protocols[0] ?? ''}) is asked for`);
  if (m.wsIgnoreSecWebsocketAcceptHeader)
    warnings.push(
      '“ignore Sec-WebSocket-Accept” is not carried over: a server that answers the upgrade with a wrong accept header is down',
    );
  const codes = m.acceptedStatuscodes;
  if (!(codes.length === 1 && codes[0] === '1000'))
    warnings.push(
      `accepted close codes ${codes.join(', ')} are not carried over: the check expects a clean close (1000)`,
    );
  const subprotocol = protocols[0];
  return {
    type: 'websocket',
    target: m.url,
    options: subprotocol === undefined ? {} : { subprotocol },
    warnings,
  };
}

function dnsCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.hostname === null) return { refused: 'a DNS monitor without a hostname' };
  const recordType = (m.dnsResolveType ?? 'A').toUpperCase();
  if (!DNS_RECORD_TYPES.has(recordType))
    return { refused: `DNS record type ${recordType} is not one the dns check queries` };
  const servers = (m.dnsResolveServer ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const warnings =
    servers.length > 1 ? [`only the first resolver (${servers[0] ?? ''}) is used`] : [];
  const server = servers[0];
  const resolver =
    server === undefined
      ? undefined
      : m.port === null || m.port === 53
        ? server
        : hostPort(server, m.port);
  return {
    type: 'dns',
    target: m.hostname,
    options: { recordType, ...(resolver === undefined ? {} : { resolver }) },
    warnings,
  };
}

/** Kuma 2.0's SMTP monitor connects (nodemailer) and reports the greeting; it sends no login. */
function smtpCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.hostname === null) return { refused: 'an SMTP monitor without a hostname' };
  const host = m.hostname.includes(':') ? `[${m.hostname}]` : m.hostname;
  const implicit = m.smtpSecurity === 'secure';
  const port = m.port ?? (implicit ? 465 : 25);
  const tls = implicit
    ? undefined
    : m.smtpSecurity === 'starttls'
      ? 'starttls'
      : m.smtpSecurity === 'nostarttls'
        ? 'off'
        : undefined;
  return {
    type: 'smtp',
    target: implicit ? `smtps://${host}:${port}` : `${host}:${port}`,
    options: {
      ...(tls === undefined ? {} : { tls }),
      ...(m.ignoreTls && tls !== 'off' ? { insecure: true } : {}),
    },
    warnings: [],
  };
}

function redisCheck(m: KumaMonitor): MappedCheck | Refusal {
  const text = m.databaseConnectionString;
  if (text === null) return { refused: 'a Redis monitor without a connection string' };
  // Never echo the string in a reason: it carries the password.
  if (!URL.canParse(text)) return { refused: 'its connection string is not a URL' };
  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    return {
      refused: `${url.protocol}// connection strings are not supported (redis:// and rediss:// are)`,
    };
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const warnings =
    username !== '' && password === ''
      ? [`user ${username} has no password in the connection string and is not carried over`]
      : [];
  return {
    type: 'redis',
    target: url.toString(),
    options: {
      ...(password === '' ? {} : { password }),
      ...(username === '' || password === '' ? {} : { username }),
      ...(url.protocol === 'rediss:' && m.ignoreTls ? { insecure: true } : {}),
    },
    warnings,
  };
}

function pushCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.pushToken === null || !PUSH_TOKEN_PATTERN.test(m.pushToken))
    return { refused: 'a push monitor without a usable push token (10–128 URL-safe characters)' };
  const periodMs = Math.max(1_000, Math.round(m.intervalSeconds * 1000));
  return {
    type: 'push',
    target: m.name,
    options: { token: m.pushToken, periodMs, graceMs: periodMs },
    warnings: [],
  };
}

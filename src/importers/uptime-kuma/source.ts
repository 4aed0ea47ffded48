import { z } from 'zod';

/**
 * One Uptime Kuma monitor as both readers hand it over: the 2.x database's `monitor` row and
 * the 1.x backup's `monitorList` entry name the same things differently; this is their union.
 * Durations are Kuma's seconds.
 */
export interface KumaMonitor {
  id: number;
  name: string;
  type: string;
  active: boolean;
  url: string | null;
  hostname: string | null;
  port: number | null;
  method: string | null;
  body: string | null;
  /** JSON text of an object, as Kuma stores it. */
  headers: string | null;
  authMethod: string | null;
  basicAuthUser: string | null;
  basicAuthPass: string | null;
  intervalSeconds: number;
  /** 0 or absent: Kuma's default (80 % of the interval). */
  timeoutSeconds: number;
  maxretries: number;
  keyword: string | null;
  invertKeyword: boolean;
  upsideDown: boolean;
  ignoreTls: boolean;
  maxredirects: number;
  acceptedStatuscodes: string[];
  dnsResolveType: string | null;
  dnsResolveServer: string | null;
  jsonPath: string | null;
  expectedValue: string | null;
  jsonPathOperator: string | null;
  /** Database monitors (postgres, redis…): a connection URL (with its password), a query. */
  databaseConnectionString: string | null;
  databaseQuery: string | null;
  /** mqtt: the topic subscribed to, the login, and what a message must contain. */
  mqttTopic: string | null;
  mqttUsername: string | null;
  mqttPassword: string | null;
  mqttSuccessMessage: string | null;
  /** mqtt: `keyword` (the default) or `json-query` (1.23+). */
  mqttCheckType: string | null;
  /** push: the token of its push URL (`/api/push/<token>`). */
  pushToken: string | null;
  /** websocket-upgrade: the subprotocols asked for, comma-separated (2.0). */
  wsSubprotocol: string | null;
  /** websocket-upgrade: up even when the server's Sec-WebSocket-Accept is wrong (2.0). */
  wsIgnoreSecWebsocketAcceptHeader: boolean;
  /** smtp (2.0): `secure` (implicit TLS), `starttls` (required), `nostarttls`; else STARTTLS when offered. */
  smtpSecurity: string | null;
  /** The id of the group monitor this one sits in. */
  parent: number | null;
  tags: { name: string; value: string }[];
  notificationIds: number[];
}

/** One notification (Kuma's name for an alert channel); `config` is its provider's settings. */
export interface KumaNotification {
  id: number;
  name: string;
  active: boolean;
  config: Record<string, unknown>;
}

export interface KumaSource {
  /** What was read, e.g. `Uptime Kuma 2.x SQLite database`. */
  format: string;
  monitors: KumaMonitor[];
  notifications: KumaNotification[];
}

// Kuma stores booleans as 0/1 in SQLite and as true/false (sometimes 0/1) in JSON.
export const kumaFlag = (fallback: boolean) =>
  z
    .union([z.boolean(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? fallback : v === true || v === 1));
export const kumaText = z
  .string()
  .nullish()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));
export const kumaInt = z
  .number()
  .nullish()
  .transform((v) => v ?? null);
export const kumaNumber = (fallback: number) =>
  z
    .number()
    .nullish()
    .transform((v) => v ?? fallback);

/** A notification's `config` column: JSON text of an object (an object in some backups). */
export const kumaConfig = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((value, ctx): Record<string, unknown> => {
    if (typeof value !== 'string') return value;
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'is not JSON text of an object' });
    return z.NEVER;
  });

/** Accepted status codes: a JSON array as text (database) or an array (backup). */
export const kumaStatusCodes = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((value, ctx): string[] => {
    if (value === null || value === undefined) return ['200-299'];
    if (Array.isArray(value)) return value;
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'is not a JSON array of status codes' });
    return z.NEVER;
  });

/** The monitor settings both readers read, with their schemas, by KumaMonitor field. */
const SETTING_SCHEMAS = {
  active: kumaFlag(true),
  url: kumaText,
  hostname: kumaText,
  port: kumaInt,
  method: kumaText,
  body: kumaText,
  headers: kumaText,
  authMethod: kumaText,
  basicAuthUser: kumaText,
  basicAuthPass: kumaText,
  intervalSeconds: kumaNumber(60),
  timeoutSeconds: kumaNumber(0),
  maxretries: kumaNumber(0),
  keyword: kumaText,
  invertKeyword: kumaFlag(false),
  upsideDown: kumaFlag(false),
  ignoreTls: kumaFlag(false),
  maxredirects: kumaNumber(10),
  acceptedStatuscodes: kumaStatusCodes,
  dnsResolveType: kumaText,
  dnsResolveServer: kumaText,
  jsonPath: kumaText,
  expectedValue: kumaText,
  jsonPathOperator: kumaText,
  databaseConnectionString: kumaText,
  databaseQuery: kumaText,
  mqttTopic: kumaText,
  mqttUsername: kumaText,
  mqttPassword: kumaText,
  mqttSuccessMessage: kumaText,
  mqttCheckType: kumaText,
  pushToken: kumaText,
  wsSubprotocol: kumaText,
  wsIgnoreSecWebsocketAcceptHeader: kumaFlag(false),
  smtpSecurity: kumaText,
  parent: kumaInt,
};

export type KumaSetting = keyof typeof SETTING_SCHEMAS;
type KumaSettings = Pick<KumaMonitor, KumaSetting>;

/**
 * The settings' schemas under the names one format gives them (`ignore_tls` in the database,
 * `ignoreTls` in a backup), and how to read them back by KumaMonitor field.
 */
export function kumaSettingColumns(columns: Readonly<Record<KumaSetting, string>>): {
  shape: Record<string, z.ZodType>;
  pick(row: Readonly<Record<string, unknown>>): KumaSettings;
} {
  const entries = Object.entries(columns) as [KumaSetting, string][];
  return {
    shape: Object.fromEntries(entries.map(([field, column]) => [column, SETTING_SCHEMAS[field]])),
    // The row passed the shape above, so each column holds its field's parsed value.
    pick: (row) =>
      Object.fromEntries(entries.map(([field, column]) => [field, row[column]])) as KumaSettings,
  };
}

import Database from 'better-sqlite3';
import { z } from 'zod';
import { sourceError, sourceIssues, unreadableFile } from '../source-errors.ts';
import type { KumaMonitor, KumaNotification, KumaSource } from './source.ts';
import { kumaConfig, kumaFlag, kumaSettingColumns, kumaText } from './source.ts';

// Uptime Kuma 2.x keeps everything in `data/kuma.db` (SQLite; MariaDB is the other option).
// Its tables grew from the 1.x SQL patches (db/old_migrations) and then knex migrations
// (db/knex_migrations); columns a given version lacks read as their defaults. The `group` and
// `monitor_group` tables belong to status pages: monitor groups are monitors of type `group`
// that their members name in `parent`.

const settings = kumaSettingColumns({
  active: 'active',
  url: 'url',
  hostname: 'hostname',
  port: 'port',
  method: 'method',
  body: 'body',
  headers: 'headers',
  authMethod: 'auth_method',
  basicAuthUser: 'basic_auth_user',
  basicAuthPass: 'basic_auth_pass',
  intervalSeconds: 'interval',
  timeoutSeconds: 'timeout',
  maxretries: 'maxretries',
  keyword: 'keyword',
  invertKeyword: 'invert_keyword',
  upsideDown: 'upside_down',
  ignoreTls: 'ignore_tls',
  maxredirects: 'maxredirects',
  acceptedStatuscodes: 'accepted_statuscodes_json',
  dnsResolveType: 'dns_resolve_type',
  dnsResolveServer: 'dns_resolve_server',
  jsonPath: 'json_path',
  expectedValue: 'expected_value',
  jsonPathOperator: 'json_path_operator',
  databaseConnectionString: 'database_connection_string',
  databaseQuery: 'database_query',
  mqttTopic: 'mqtt_topic',
  mqttUsername: 'mqtt_username',
  mqttPassword: 'mqtt_password',
  mqttSuccessMessage: 'mqtt_success_message',
  mqttCheckType: 'mqtt_check_type',
  pushToken: 'push_token',
  wsSubprotocol: 'ws_subprotocol',
  wsIgnoreSecWebsocketAcceptHeader: 'ws_ignore_sec_websocket_accept_header',
  smtpSecurity: 'smtp_security',
  parent: 'parent',
});

const monitorRow = z
  .looseObject({ ...settings.shape, id: z.number().int(), name: kumaText, type: kumaText })
  .transform((m): Omit<KumaMonitor, 'tags' | 'notificationIds'> => ({
    ...settings.pick(m),
    id: m.id,
    name: m.name ?? `monitor ${m.id}`,
    type: m.type ?? 'http',
  }));

const notificationRow = z
  .looseObject({ id: z.number().int(), name: kumaText, active: kumaFlag(true), config: kumaConfig })
  .transform((n): KumaNotification => ({
    id: n.id,
    name: n.name ?? `notification ${n.id}`,
    active: n.active,
    config: n.config,
  }));

const linkRow = z.object({ monitor_id: z.number().int(), notification_id: z.number().int() });
const tagRow = z.object({ monitor_id: z.number().int(), name: z.string(), value: kumaText });

/** Reads an Uptime Kuma 2.x database, opened read-only: nothing in it is ever changed. */
export function readKumaDatabase(file: string): KumaSource {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw unreadableFile(file, 'cannot be opened as an SQLite database', error);
  }
  try {
    return readTables(db, file);
  } finally {
    db.close();
  }
}

function readTables(db: Database.Database, file: string): KumaSource {
  const tables = tableNames(db, file);
  for (const needed of ['monitor', 'notification', 'monitor_notification']) {
    if (!tables.has(needed))
      throw unreadableFile(file, `has no ${needed} table: not an Uptime Kuma database`);
  }
  const monitors = parseRows(
    db.prepare('SELECT * FROM monitor ORDER BY id').all(),
    monitorRow,
    file,
    'monitor',
  );
  const notifications = parseRows(
    db.prepare('SELECT * FROM notification ORDER BY id').all(),
    notificationRow,
    file,
    'notification',
  );
  const links = parseRows(
    db.prepare('SELECT monitor_id, notification_id FROM monitor_notification ORDER BY id').all(),
    linkRow,
    file,
    'monitor_notification',
  );
  const tags =
    tables.has('tag') && tables.has('monitor_tag')
      ? parseRows(
          db
            .prepare(
              'SELECT mt.monitor_id, t.name, mt.value FROM monitor_tag mt JOIN tag t ON t.id = mt.tag_id ORDER BY mt.id',
            )
            .all(),
          tagRow,
          file,
          'monitor_tag',
        )
      : [];
  return {
    format: 'Uptime Kuma 2.x SQLite database',
    notifications,
    monitors: monitors.map((m) => ({
      ...m,
      tags: tags
        .filter((t) => t.monitor_id === m.id)
        .map((t) => ({ name: t.name, value: t.value ?? '' })),
      notificationIds: links.filter((l) => l.monitor_id === m.id).map((l) => l.notification_id),
    })),
  };
}

function tableNames(db: Database.Database, file: string): Set<string> {
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    return new Set(rows.map((row) => String((row as { name: unknown }).name)));
  } catch (error) {
    throw unreadableFile(file, 'is not an SQLite database', error);
  }
}

function parseRows<T>(rows: unknown[], schema: z.ZodType<T>, file: string, table: string): T[] {
  const parsed = z.array(schema).safeParse(rows);
  if (!parsed.success) throw sourceError(file, sourceIssues(parsed.error, table));
  return parsed.data;
}

import Database from 'better-sqlite3';
import { KUMA2_SCHEMA } from './kuma2-schema.ts';
import type { Row } from './fixtures.ts';
import {
  KUMA_LINKS_FIXTURE,
  KUMA_MONITORS_FIXTURE,
  KUMA_NOTIFICATIONS_FIXTURE,
  KUMA_TAGS_FIXTURE,
} from './fixtures.ts';

// The fixture data (fixtures.ts) in Uptime Kuma's two file formats: a 2.x SQLite database and a
// 1.x backup JSON.

/** Writes the fixture into a new 2.x-schema SQLite database at `file`. */
export function writeKumaDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec(KUMA2_SCHEMA);
    db.prepare("INSERT INTO user (id, username, password) VALUES (1, 'admin', 'x')").run();
    for (const n of KUMA_NOTIFICATIONS_FIXTURE) {
      db.prepare('INSERT INTO notification (id, name, user_id, config) VALUES (?, ?, 1, ?)').run(
        n.id,
        n.name,
        JSON.stringify(n.config),
      );
    }
    for (const m of KUMA_MONITORS_FIXTURE) {
      const columns = Object.keys(m);
      db.prepare(
        `INSERT INTO monitor (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ).run(...Object.values(m));
    }
    for (const [monitor, notification] of KUMA_LINKS_FIXTURE) {
      db.prepare(
        'INSERT INTO monitor_notification (monitor_id, notification_id) VALUES (?, ?)',
      ).run(monitor, notification);
    }
    const tagIds = new Map<string, number | bigint>();
    for (const [monitor, name, value] of KUMA_TAGS_FIXTURE) {
      let tagId = tagIds.get(name);
      if (tagId === undefined) {
        tagId = db
          .prepare("INSERT INTO tag (name, color) VALUES (?, '#2563eb')")
          .run(name).lastInsertRowid;
        tagIds.set(name, tagId);
      }
      db.prepare('INSERT INTO monitor_tag (monitor_id, tag_id, value) VALUES (?, ?, ?)').run(
        monitor,
        tagId,
        value,
      );
    }
  } finally {
    db.close();
  }
}

/** The same setup as a 1.x backup (`Monitor.toJSON()` keys, config as JSON text). */
export function kumaBackupJson(): unknown {
  const num = (row: Row, key: string, fallback: number) =>
    typeof row[key] === 'number' ? row[key] : fallback;
  const str = (row: Row, key: string) => (typeof row[key] === 'string' ? row[key] : null);
  return {
    version: '1.23.16',
    notificationList: KUMA_NOTIFICATIONS_FIXTURE.map((n) => ({
      id: n.id,
      name: n.name,
      active: 1,
      userId: 1,
      isDefault: false,
      config: JSON.stringify({ ...n.config, name: n.name }),
    })),
    monitorList: KUMA_MONITORS_FIXTURE.map((m) => ({
      id: m['id'],
      name: m['name'],
      type: m['type'],
      url: str(m, 'url'),
      method: str(m, 'method') ?? 'GET',
      body: str(m, 'body'),
      headers: str(m, 'headers'),
      authMethod: str(m, 'auth_method'),
      basic_auth_user: str(m, 'basic_auth_user'),
      basic_auth_pass: str(m, 'basic_auth_pass'),
      hostname: str(m, 'hostname'),
      port: typeof m['port'] === 'number' ? m['port'] : null,
      maxretries: num(m, 'maxretries', 0),
      weight: 2000,
      active: m['active'] !== 0,
      interval: num(m, 'interval', 20),
      timeout: num(m, 'timeout', 0),
      retryInterval: 20,
      resendInterval: 0,
      keyword: str(m, 'keyword'),
      invertKeyword: m['invert_keyword'] === 1,
      expiryNotification: false,
      ignoreTls: m['ignore_tls'] === 1,
      upsideDown: m['upside_down'] === 1,
      packetSize: 56,
      maxredirects: num(m, 'maxredirects', 10),
      accepted_statuscodes: JSON.parse(
        str(m, 'accepted_statuscodes_json') ?? '["200-299"]',
      ) as string[],
      dns_resolve_type: str(m, 'dns_resolve_type'),
      dns_resolve_server: str(m, 'dns_resolve_server'),
      dns_last_result: null,
      jsonPath: str(m, 'json_path'),
      expectedValue: str(m, 'expected_value'),
      jsonPathOperator: str(m, 'json_path_operator'),
      wsSubprotocol: str(m, 'ws_subprotocol') ?? '',
      wsIgnoreSecWebsocketAcceptHeader: m['ws_ignore_sec_websocket_accept_header'] === 1,
      smtpSecurity: str(m, 'smtp_security'),
      parent: typeof m['parent'] === 'number' ? m['parent'] : null,
      pushToken: str(m, 'push_token'),
      databaseConnectionString: str(m, 'database_connection_string'),
      databaseQuery: str(m, 'database_query'),
      mqttTopic: str(m, 'mqtt_topic'),
      mqttUsername: str(m, 'mqtt_username'),
      mqttPassword: str(m, 'mqtt_password'),
      mqttSuccessMessage: str(m, 'mqtt_success_message'),
      mqttCheckType: str(m, 'mqtt_check_type') ?? 'keyword',
      notificationIDList: Object.fromEntries(
        KUMA_LINKS_FIXTURE.filter(([monitor]) => monitor === m['id']).map(([, n]) => [
          String(n),
          true,
        ]),
      ),
      tags: KUMA_TAGS_FIXTURE.filter(([monitor]) => monitor === m['id']).map(
        ([monitor, name, value], i) => ({
          id: i + 1,
          monitor_id: monitor,
          tag_id: i + 1,
          value,
          name,
          color: '#2563eb',
        }),
      ),
    })),
  };
}

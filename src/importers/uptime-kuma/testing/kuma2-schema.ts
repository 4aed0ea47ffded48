// The tables an import reads, as an Uptime Kuma 2.0 SQLite database has them: the 1.x base
// tables (db/old_migrations patch5/patch6 for `monitor`, patch-group-table, tags, notifications)
// and then the columns later SQL patches and knex migrations (db/knex_migrations, up to the
// 2.0 releases) add with ALTER TABLE, in that order. Written for the tests from the published
// schema; only the columns an import reads or that a real database always has are listed.
export const KUMA2_SCHEMA = `
CREATE TABLE user (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  username VARCHAR(255) NOT NULL UNIQUE,
  password VARCHAR(255),
  active BOOLEAN DEFAULT 1 NOT NULL,
  timezone VARCHAR(150),
  twofa_secret VARCHAR(64),
  twofa_status BOOLEAN DEFAULT 0 NOT NULL,
  twofa_last_token VARCHAR(6)
);
CREATE TABLE monitor (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(150),
  active BOOLEAN DEFAULT 1 NOT NULL,
  user_id INTEGER REFERENCES user ON UPDATE CASCADE ON DELETE SET NULL,
  interval INTEGER DEFAULT 20 NOT NULL,
  url TEXT,
  type VARCHAR(20),
  weight INTEGER DEFAULT 2000,
  hostname VARCHAR(255),
  port INTEGER,
  created_date DATETIME DEFAULT (DATETIME('now')) NOT NULL,
  keyword VARCHAR(255),
  maxretries INTEGER NOT NULL DEFAULT 0,
  ignore_tls BOOLEAN DEFAULT 0 NOT NULL,
  upside_down BOOLEAN DEFAULT 0 NOT NULL,
  maxredirects INTEGER DEFAULT 10 NOT NULL,
  accepted_statuscodes_json TEXT DEFAULT '["200-299"]' NOT NULL
);
ALTER TABLE monitor ADD dns_resolve_type VARCHAR(5);
ALTER TABLE monitor ADD dns_resolve_server VARCHAR(255);
ALTER TABLE monitor ADD dns_last_result VARCHAR(255);
ALTER TABLE monitor ADD retry_interval INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE monitor ADD push_token VARCHAR(32) DEFAULT NULL;
ALTER TABLE monitor ADD method TEXT DEFAULT 'GET' NOT NULL;
ALTER TABLE monitor ADD body TEXT DEFAULT NULL;
ALTER TABLE monitor ADD headers TEXT DEFAULT NULL;
ALTER TABLE monitor ADD basic_auth_user TEXT DEFAULT NULL;
ALTER TABLE monitor ADD basic_auth_pass TEXT DEFAULT NULL;
ALTER TABLE monitor ADD docker_container VARCHAR(255);
ALTER TABLE monitor ADD docker_host INTEGER;
ALTER TABLE monitor ADD resend_interval INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE monitor ADD expiry_notification BOOLEAN DEFAULT 1;
ALTER TABLE monitor ADD mqtt_topic TEXT;
ALTER TABLE monitor ADD mqtt_success_message VARCHAR(255);
ALTER TABLE monitor ADD mqtt_username VARCHAR(255);
ALTER TABLE monitor ADD mqtt_password VARCHAR(255);
ALTER TABLE monitor ADD auth_method VARCHAR(250);
ALTER TABLE monitor ADD database_connection_string VARCHAR(2000);
ALTER TABLE monitor ADD database_query TEXT;
ALTER TABLE monitor ADD packet_size INTEGER DEFAULT 56 NOT NULL;
ALTER TABLE monitor ADD game VARCHAR(255);
ALTER TABLE monitor ADD http_body_encoding VARCHAR(25);
ALTER TABLE monitor ADD description TEXT DEFAULT NULL;
ALTER TABLE monitor ADD parent INTEGER REFERENCES monitor (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE monitor ADD invert_keyword BOOLEAN DEFAULT 0 NOT NULL;
ALTER TABLE monitor ADD json_path TEXT;
ALTER TABLE monitor ADD expected_value VARCHAR(255);
ALTER TABLE monitor ADD timeout DOUBLE DEFAULT 0 NOT NULL;
ALTER TABLE monitor ADD json_path_operator VARCHAR(255);
ALTER TABLE monitor ADD grpc_url VARCHAR(255) DEFAULT NULL;
ALTER TABLE monitor ADD mqtt_check_type VARCHAR(255) DEFAULT 'keyword' NOT NULL;
ALTER TABLE monitor ADD conditions TEXT DEFAULT '[]' NOT NULL;
ALTER TABLE monitor ADD cache_bust BOOLEAN DEFAULT 0 NOT NULL;
ALTER TABLE monitor ADD ip_family VARCHAR(255);
ALTER TABLE monitor ADD ws_ignore_sec_websocket_accept_header BOOLEAN DEFAULT 0 NOT NULL;
ALTER TABLE monitor ADD ws_subprotocol VARCHAR(255) DEFAULT '' NOT NULL;
ALTER TABLE monitor ADD smtp_security VARCHAR(255) DEFAULT NULL;
CREATE TABLE notification (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(255),
  active BOOLEAN DEFAULT 1 NOT NULL,
  user_id INTEGER,
  is_default BOOLEAN DEFAULT 0 NOT NULL,
  config TEXT
);
CREATE TABLE monitor_notification (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  monitor_id INTEGER NOT NULL REFERENCES monitor (id) ON DELETE CASCADE ON UPDATE CASCADE,
  notification_id INTEGER NOT NULL REFERENCES notification (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX monitor_notification_index ON monitor_notification (monitor_id, notification_id);
CREATE TABLE tag (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(255) NOT NULL,
  color VARCHAR(255) NOT NULL,
  created_date DATETIME DEFAULT (DATETIME('now')) NOT NULL
);
CREATE TABLE monitor_tag (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  monitor_id INTEGER NOT NULL REFERENCES monitor (id) ON DELETE CASCADE ON UPDATE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE ON UPDATE CASCADE,
  value TEXT
);
CREATE TABLE "group" (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(255) NOT NULL,
  created_date DATETIME DEFAULT (DATETIME('now')) NOT NULL,
  public BOOLEAN DEFAULT 0 NOT NULL,
  active BOOLEAN DEFAULT 1 NOT NULL,
  weight INTEGER NOT NULL DEFAULT 1000,
  status_page_id INTEGER
);
CREATE TABLE monitor_group (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  monitor_id INTEGER NOT NULL REFERENCES monitor (id) ON DELETE CASCADE ON UPDATE CASCADE,
  group_id INTEGER NOT NULL REFERENCES "group" (id) ON DELETE CASCADE ON UPDATE CASCADE,
  weight INTEGER NOT NULL DEFAULT 1000,
  send_url BOOLEAN NOT NULL DEFAULT 0
);
`;

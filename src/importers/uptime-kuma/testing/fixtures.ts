// One Uptime Kuma setup (every checked address on loopback, so a daemon that imports it
// sends nothing off the machine), written by hand after the real formats: every mapped monitor type and
// notification, and one of each reported kind. The same data fills a 2.x database and a 1.x
// backup, so both readers are held to one expected plan.

/** Secret values that must never appear in printed output. */
export const KUMA_SECRETS = {
  slackUrl: 'https://hooks.slack.com/services/T000/B000/kumaSlackSecret1',
  telegramToken: '123456:kumaTelegramSecret',
  basicPass: 'kumaBasicPassword',
  smtpPassword: 'kumaSmtpPassword',
  pagerdutyKey: 'kumaPagerdutyKey0000000000000000',
  ntfyToken: 'tk_kumaNtfyToken',
  postgresPassword: 'kumaPostgresPassword',
  redisPassword: 'kumaRedisPassword',
  mysqlPassword: 'kumaMysqlPassword',
  mqttPassword: 'kumaMqttPassword',
};

/** notification rows: id, name, config (the provider type is `config.type`). */
export const KUMA_NOTIFICATIONS_FIXTURE: {
  id: number;
  name: string;
  config: Record<string, unknown>;
}[] = [
  {
    id: 1,
    name: 'Ops Slack',
    config: { type: 'slack', slackwebhookURL: KUMA_SECRETS.slackUrl, slackchannel: '#ops' },
  },
  {
    id: 2,
    name: 'Discord',
    config: {
      type: 'discord',
      discordWebhookUrl: 'https://discord.com/api/webhooks/1/kuma',
      discordUsername: 'kuma',
    },
  },
  {
    id: 3,
    name: 'Teams',
    config: { type: 'teams', webhookUrl: 'https://teams.invalid.test/workflows/1' },
  },
  {
    id: 4,
    name: 'Telegram',
    config: {
      type: 'telegram',
      telegramBotToken: KUMA_SECRETS.telegramToken,
      telegramChatID: '-100123',
    },
  },
  {
    id: 5,
    name: 'Hook',
    config: {
      type: 'webhook',
      webhookURL: 'https://hooks.invalid.test/kuma',
      webhookContentType: 'json',
      webhookAdditionalHeaders: '{"X-Team":"ops"}',
    },
  },
  {
    id: 6,
    name: 'Mail',
    config: {
      type: 'smtp',
      smtpHost: 'smtp.invalid.test',
      smtpPort: 465,
      smtpSecure: true,
      smtpUsername: 'kuma',
      smtpPassword: KUMA_SECRETS.smtpPassword,
      smtpFrom: '"Uptime Kuma" <kuma@invalid.test>',
      smtpTo: 'ops@invalid.test',
      smtpCC: 'lead@invalid.test',
    },
  },
  {
    id: 7,
    name: 'PagerDuty',
    config: {
      type: 'PagerDuty',
      pagerdutyIntegrationKey: KUMA_SECRETS.pagerdutyKey,
      pagerdutyIntegrationUrl: 'https://events.pagerduty.com/v2/enqueue',
    },
  },
  {
    id: 8,
    name: 'Opsgenie EU',
    config: {
      type: 'Opsgenie',
      opsgenieApiKey: 'kumaOpsgenieKey',
      opsgenieRegion: 'eu',
      opsgeniePriority: 2,
    },
  },
  {
    id: 9,
    name: 'Pushover',
    config: { type: 'pushover', pushoveruserkey: 'u'.repeat(30), pushoverapptoken: 'a'.repeat(30) },
  },
  {
    id: 10,
    name: 'Gotify',
    config: {
      type: 'gotify',
      gotifyserverurl: 'https://gotify.invalid.test',
      gotifyapplicationToken: 'kumaGotifyToken',
    },
  },
  {
    id: 11,
    name: 'ntfy',
    config: {
      type: 'ntfy',
      ntfyserverurl: 'https://ntfy.sh',
      ntfytopic: 'kuma-alerts',
      ntfyAuthenticationMethod: 'accessToken',
      ntfyaccesstoken: KUMA_SECRETS.ntfyToken,
    },
  },
  {
    id: 12,
    name: 'Matrix',
    config: {
      type: 'matrix',
      homeserverUrl: 'https://matrix.invalid.test',
      internalRoomId: '!room:invalid.test',
      accessToken: 'kumaMatrixToken',
    },
  },
  {
    id: 13,
    name: 'Mattermost',
    config: {
      type: 'mattermost',
      mattermostWebhookUrl: 'https://mm.invalid.test/hooks/kuma',
      mattermostchannel: 'ops',
    },
  },
  {
    id: 14,
    name: 'Rocket',
    config: {
      type: 'rocket.chat',
      rocketwebhookURL: 'https://rocket.invalid.test/hooks/kuma',
      rocketchannel: '#ops',
    },
  },
  {
    id: 15,
    name: 'Signal',
    config: {
      type: 'signal',
      signalURL: 'https://signal.invalid.test/v2/send',
      signalNumber: '+15550000001',
      signalRecipients: '+15550000002, +15550000003',
    },
  },
  {
    id: 16,
    name: 'Google Chat',
    config: {
      type: 'GoogleChat',
      googleChatWebhookURL: 'https://chat.googleapis.com/v1/spaces/kuma',
    },
  },
  {
    id: 17,
    name: 'Twilio',
    config: {
      type: 'twilio',
      twilioAccountSID: `AC${'0'.repeat(32)}`,
      twilioAuthToken: 'kumaTwilioToken',
      twilioFromNumber: '+15550000004',
      twilioToNumber: '+15550000005',
    },
  },
  // Reported: no Crosscheck channel.
  { id: 18, name: 'LINE', config: { type: 'line', lineChannelAccessToken: 'kumaLineToken' } },
  // Reported: the channel refuses its settings (a Telegram chat id must be numeric or @name).
  {
    id: 19,
    name: 'Broken Telegram',
    config: { type: 'telegram', telegramBotToken: '1:x', telegramChatID: 'not a chat' },
  },
];

/** One `monitor` row, by column name. */
export type Row = Record<string, string | number | null>;

/** monitor rows as the 2.x database has them (columns not given take their defaults). */
export const KUMA_MONITORS_FIXTURE: Row[] = [
  { id: 1, name: 'Production', type: 'group' },
  { id: 2, name: 'API', type: 'group', parent: 1 },
  {
    id: 3,
    name: 'Homepage',
    type: 'http',
    url: 'http://127.0.0.1:9/',
    interval: 30,
    timeout: 24,
    maxretries: 2,
    parent: 1,
    accepted_statuscodes_json: '["200-299","301"]',
    maxredirects: 0,
  },
  {
    id: 4,
    name: 'API health',
    type: 'http',
    url: 'https://127.0.0.1:9/health',
    method: 'POST',
    body: '{"ping":true}',
    headers: '{"X-Api-Key":"kumaHeaderKey"}',
    basic_auth_user: 'kuma',
    basic_auth_pass: KUMA_SECRETS.basicPass,
    auth_method: 'basic',
    ignore_tls: 1,
    parent: 2,
    active: 0,
  },
  {
    id: 5,
    name: 'Login page',
    type: 'keyword',
    url: 'https://127.0.0.1:9/login',
    keyword: 'Sign in',
    invert_keyword: 1,
    interval: 60,
    maxretries: 2,
  },
  {
    id: 6,
    name: 'Status JSON',
    type: 'json-query',
    url: 'https://127.0.0.1:9/status',
    json_path: 'data.state',
    expected_value: 'ok',
    json_path_operator: '==',
  },
  { id: 7, name: 'Postgres port', type: 'port', hostname: '127.0.0.1', port: 5432 },
  {
    id: 18,
    name: 'Orders database',
    type: 'postgres',
    database_connection_string: `postgres://monitor:${KUMA_SECRETS.postgresPassword}@127.0.0.1:5432/orders?sslmode=require`,
    database_query: 'SELECT count(*) FROM orders',
  },
  { id: 8, name: 'Gateway ping', type: 'ping', hostname: '127.0.0.1', interval: 120 },
  {
    id: 20,
    name: 'Live feed',
    type: 'websocket-upgrade',
    url: 'wss://127.0.0.1:9/feed',
    ws_subprotocol: 'graphql-ws, graphql-transport-ws',
    ws_ignore_sec_websocket_accept_header: 1,
    accepted_statuscodes_json: '["1000"]',
  },
  {
    id: 21,
    name: 'Session cache',
    type: 'redis',
    database_connection_string: `rediss://kuma:${KUMA_SECRETS.redisPassword}@127.0.0.1:9/2`,
    ignore_tls: 1,
  },
  {
    id: 23,
    name: 'Mail relay',
    type: 'smtp',
    hostname: '127.0.0.1',
    port: 9,
    smtp_security: 'starttls',
  },
  {
    id: 24,
    name: 'Checkout page',
    type: 'real-browser',
    url: 'https://127.0.0.1:9/checkout',
    keyword: 'Pay now',
    ignore_tls: 1,
  },
  {
    id: 9,
    name: 'MX record',
    type: 'dns',
    hostname: 'localhost',
    dns_resolve_type: 'MX',
    dns_resolve_server: '127.0.0.1',
    port: 9,
  },
  // Reported: no equivalent type, or a setting Crosscheck cannot express.
  { id: 10, name: 'Backup job', type: 'push', push_token: 'kumaPushToken' },
  { id: 11, name: 'Web container', type: 'docker', docker_container: 'web', docker_host: 1 },
  {
    id: 12,
    name: 'Sensor topic',
    type: 'mqtt',
    hostname: 'mqtts://127.0.0.1',
    port: 9,
    mqtt_topic: 'sensors/1',
    mqtt_username: 'kuma',
    mqtt_password: KUMA_SECRETS.mqttPassword,
    mqtt_success_message: 'online',
  },
  {
    id: 13,
    name: 'Game server',
    type: 'gamedig',
    hostname: 'game.127.0.0.1',
    port: 27015,
    game: 'csgo',
  },
  { id: 14, name: 'Must be down', type: 'http', url: 'http://old.127.0.0.1/', upside_down: 1 },
  {
    id: 15,
    name: 'Intranet',
    type: 'http',
    url: 'http://intranet.127.0.0.1/',
    auth_method: 'ntlm',
    basic_auth_user: 'DOMAIN\\kuma',
    basic_auth_pass: 'x',
  },
  {
    id: 16,
    name: 'Complex query',
    type: 'json-query',
    url: 'https://api.127.0.0.1/items',
    json_path: '$count(items[status="ok"])',
    expected_value: '3',
  },
  {
    id: 17,
    name: 'Reverse DNS',
    type: 'dns',
    hostname: '1.0.0.127.in-addr.arpa',
    dns_resolve_type: 'PTR',
    dns_resolve_server: '1.1.1.1',
    port: 53,
  },
  {
    id: 19,
    name: 'Legacy database',
    type: 'postgres',
    database_connection_string: 'host=127.0.0.1 user=monitor dbname=legacy',
  },
  {
    id: 22,
    name: 'Sentinel cache',
    type: 'redis',
    database_connection_string: 'redis+sentinel://127.0.0.1:9/mymaster',
  },
  {
    id: 30,
    name: 'Sensor JSON',
    type: 'mqtt',
    hostname: '127.0.0.1',
    port: 9,
    mqtt_topic: 'sensors/2',
    mqtt_check_type: 'json-query',
    json_path: 'state',
    expected_value: 'ok',
  },
  {
    id: 31,
    name: 'Shop database',
    type: 'mysql',
    database_connection_string: `mysql://shop:${KUMA_SECRETS.mysqlPassword}@127.0.0.1:9/shop`,
    database_query: 'SELECT 1',
  },
  {
    id: 32,
    name: 'Orders RPC',
    type: 'grpc-keyword',
    grpc_url: '127.0.0.1:9',
  },
];

/** monitor id → notification ids (monitor_notification). */
export const KUMA_LINKS_FIXTURE: [number, number][] = [
  [3, 1],
  [3, 6],
  [4, 7],
  [4, 18],
  [5, 4],
];

/** monitor id → tags (tag + monitor_tag). */
export const KUMA_TAGS_FIXTURE: [number, string, string][] = [
  [3, 'env', 'prod'],
  [3, 'public', ''],
  [4, 'env', 'prod'],
];

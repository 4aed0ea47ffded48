import { z } from 'zod';
import { sourceError, sourceIssues } from '../source-errors.ts';
import type { KumaMonitor, KumaSource } from './source.ts';
import { kumaConfig, kumaFlag, kumaSettingColumns, kumaText } from './source.ts';

// Uptime Kuma 1.x "Export Backup" JSON (Settings → Backup, deprecated in 1.23 and gone in 2.0):
// `{ version, notificationList, monitorList }`. Monitors are the server's `Monitor.toJSON()`:
// camelCase for most fields, snake_case for a few older ones (accepted_statuscodes, dns_*,
// basic_auth_*), `notificationIDList` as `{ "<id>": true }` and tags with their tag's name.

const backupTag = z.looseObject({ name: z.string(), value: kumaText });

const settings = kumaSettingColumns({
  active: 'active',
  url: 'url',
  hostname: 'hostname',
  port: 'port',
  method: 'method',
  body: 'body',
  headers: 'headers',
  authMethod: 'authMethod',
  basicAuthUser: 'basic_auth_user',
  basicAuthPass: 'basic_auth_pass',
  intervalSeconds: 'interval',
  timeoutSeconds: 'timeout',
  maxretries: 'maxretries',
  keyword: 'keyword',
  invertKeyword: 'invertKeyword',
  upsideDown: 'upsideDown',
  ignoreTls: 'ignoreTls',
  maxredirects: 'maxredirects',
  acceptedStatuscodes: 'accepted_statuscodes',
  dnsResolveType: 'dns_resolve_type',
  dnsResolveServer: 'dns_resolve_server',
  jsonPath: 'jsonPath',
  expectedValue: 'expectedValue',
  jsonPathOperator: 'jsonPathOperator',
  databaseConnectionString: 'databaseConnectionString',
  databaseQuery: 'databaseQuery',
  mqttTopic: 'mqttTopic',
  mqttUsername: 'mqttUsername',
  mqttPassword: 'mqttPassword',
  mqttSuccessMessage: 'mqttSuccessMessage',
  mqttCheckType: 'mqttCheckType',
  pushToken: 'pushToken',
  wsSubprotocol: 'wsSubprotocol',
  wsIgnoreSecWebsocketAcceptHeader: 'wsIgnoreSecWebsocketAcceptHeader',
  smtpSecurity: 'smtpSecurity',
  parent: 'parent',
});

const backupMonitor = z
  .looseObject({
    ...settings.shape,
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    tags: z.array(backupTag).optional(),
    notificationIDList: z.record(z.string(), z.boolean()).optional(),
  })
  .transform((m): KumaMonitor => ({
    ...settings.pick(m),
    id: m.id,
    name: m.name,
    type: m.type,
    tags: (m.tags ?? []).map((t) => ({ name: t.name, value: t.value ?? '' })),
    notificationIds: Object.entries(m.notificationIDList ?? {})
      .filter(([, on]) => on)
      .map(([id]) => Number(id)),
  }));

const backupNotification = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  active: kumaFlag(true),
  config: kumaConfig,
});

const backupSchema = z.looseObject({
  version: z.string(),
  notificationList: z.array(backupNotification).default([]),
  monitorList: z.array(backupMonitor),
});

/** Reads a parsed 1.x backup, or throws VALIDATION naming the file and every bad field. */
export function parseKumaBackup(json: unknown, file: string): KumaSource {
  const parsed = backupSchema.safeParse(json);
  if (!parsed.success) throw sourceError(file, sourceIssues(parsed.error));
  const { version, notificationList, monitorList } = parsed.data;
  return {
    format: `Uptime Kuma ${version} backup JSON`,
    monitors: monitorList,
    notifications: notificationList.map((n) => ({
      id: n.id,
      name: n.name,
      active: n.active,
      config: n.config,
    })),
  };
}

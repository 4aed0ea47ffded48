import { z } from 'zod';
import { sourceError, sourceIssues } from '../source-errors.ts';
import type { KumaMonitor, KumaSource } from './source.ts';
import { kumaFlag, kumaConfig, kumaInt, kumaNumber, kumaStatusCodes, kumaText } from './source.ts';

// Uptime Kuma 1.x "Export Backup" JSON (Settings → Backup, deprecated in 1.23 and gone in 2.0):
// `{ version, notificationList, monitorList }`. Monitors are the server's `Monitor.toJSON()`:
// camelCase for most fields, snake_case for a few older ones (accepted_statuscodes, dns_*,
// basic_auth_*), `notificationIDList` as `{ "<id>": true }` and tags with their tag's name.

const backupTag = z.looseObject({ name: z.string(), value: kumaText });

const backupMonitor = z
  .looseObject({
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    active: kumaFlag(true),
    url: kumaText,
    hostname: kumaText,
    port: kumaInt,
    method: kumaText,
    body: kumaText,
    headers: kumaText,
    authMethod: kumaText,
    basic_auth_user: kumaText,
    basic_auth_pass: kumaText,
    interval: kumaNumber(60),
    timeout: kumaNumber(0),
    maxretries: kumaNumber(0),
    keyword: kumaText,
    invertKeyword: kumaFlag(false),
    upsideDown: kumaFlag(false),
    ignoreTls: kumaFlag(false),
    maxredirects: kumaNumber(10),
    accepted_statuscodes: kumaStatusCodes,
    dns_resolve_type: kumaText,
    dns_resolve_server: kumaText,
    jsonPath: kumaText,
    expectedValue: kumaText,
    jsonPathOperator: kumaText,
    parent: kumaInt,
    tags: z.array(backupTag).optional(),
    notificationIDList: z.record(z.string(), z.boolean()).optional(),
  })
  .transform((m): KumaMonitor => ({
    id: m.id,
    name: m.name,
    type: m.type,
    active: m.active,
    url: m.url,
    hostname: m.hostname,
    port: m.port,
    method: m.method,
    body: m.body,
    headers: m.headers,
    authMethod: m.authMethod,
    basicAuthUser: m.basic_auth_user,
    basicAuthPass: m.basic_auth_pass,
    intervalSeconds: m.interval,
    timeoutSeconds: m.timeout,
    maxretries: m.maxretries,
    keyword: m.keyword,
    invertKeyword: m.invertKeyword,
    upsideDown: m.upsideDown,
    ignoreTls: m.ignoreTls,
    maxredirects: m.maxredirects,
    acceptedStatuscodes: m.accepted_statuscodes,
    dnsResolveType: m.dns_resolve_type,
    dnsResolveServer: m.dns_resolve_server,
    jsonPath: m.jsonPath,
    expectedValue: m.expectedValue,
    jsonPathOperator: m.jsonPathOperator,
    parent: m.parent,
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

import { hostPort } from '../values.ts';
import type { KumaMonitor } from './source.ts';
import type { MappedCheck, Refusal } from './mapped-check.ts';

// Kuma's mysql and mqtt monitors (split from monitor-types.ts to keep files small).

/**
 * A Kuma mysql monitor: its `mysql://user:password@host:port/db` connection string split into
 * target and options (the password a secret). Kuma's mysql2 connection used no TLS, so neither
 * does the check.
 */
export function mysqlCheck(m: KumaMonitor): MappedCheck | Refusal {
  const text = m.databaseConnectionString;
  if (text === null) return { refused: 'a MySQL monitor without a connection string' };
  // Never echo the string in a reason: it carries the password.
  if (!/^(mysql|mariadb):\/\//i.test(text) || !URL.canParse(text))
    return { refused: 'only mysql:// connection URLs are read' };
  const url = new URL(text);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const options: Record<string, unknown> = {
    username: url.username === '' ? 'root' : decodeURIComponent(url.username),
    tls: 'off',
  };
  if (url.password !== '') options['password'] = decodeURIComponent(url.password);
  if (database !== '') options['database'] = database;
  if (m.databaseQuery !== null) options['query'] = m.databaseQuery;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { type: 'mysql', target: hostPort(host, Number(url.port || 3306)), options };
}

/**
 * A Kuma mqtt monitor: `hostname` (with or without mqtt:// or mqtts://) and port, the topic it
 * subscribes to, and the text a message must contain (its "keyword" check). Its json-query
 * check and WebSocket brokers have no equivalent.
 */
export function mqttCheck(m: KumaMonitor): MappedCheck | Refusal {
  if (m.hostname === null || m.mqttTopic === null)
    return { refused: 'an MQTT monitor without a hostname and topic' };
  if ((m.mqttCheckType ?? 'keyword') !== 'keyword')
    return {
      refused: `the ${m.mqttCheckType ?? ''} MQTT check has no equivalent (the mqtt check matches text or /regex/ in the payload)`,
    };
  const scheme = /^([a-z]+):\/\//i.exec(m.hostname)?.[1]?.toLowerCase() ?? 'mqtt';
  if (scheme !== 'mqtt' && scheme !== 'mqtts')
    return { refused: `${scheme}:// brokers are not supported (mqtt:// and mqtts:// are)` };
  const host = m.hostname.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  const port = m.port ?? (scheme === 'mqtts' ? 8883 : 1883);
  const warnings =
    m.mqttPassword !== null && m.mqttUsername === null
      ? ['a password without a user name is not carried over']
      : [];
  return {
    type: 'mqtt',
    target: `${scheme}://${hostPort(host, port)}`,
    options: {
      topic: m.mqttTopic,
      // Kuma looks for the text as written; the check decodes \ escapes, so they are doubled.
      ...(m.mqttSuccessMessage === null
        ? {}
        : { expect: m.mqttSuccessMessage.replaceAll('\\', '\\\\') }),
      ...(m.mqttUsername === null ? {} : { username: m.mqttUsername }),
      ...(m.mqttUsername === null || m.mqttPassword === null ? {} : { password: m.mqttPassword }),
      ...(scheme === 'mqtts' && m.ignoreTls ? { insecure: true } : {}),
    },
    warnings,
  };
}

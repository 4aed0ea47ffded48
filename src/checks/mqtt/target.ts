import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort, unbracket } from '../net-names.ts';

/** MQTT's registered ports: 1883 in clear, 8883 over TLS. */
export const MQTT_DEFAULT_PORT = 1883;
export const MQTTS_DEFAULT_PORT = 8883;

/** An mqtt target split into its parts. */
export interface MqttAddress {
  host: string;
  port: number;
  /** `mqtts://`: TLS, verified unless the monitor says insecure. */
  tls: boolean;
}

const FORMAT_HINT =
  'must be mqtt://host[:port] or mqtts://host[:port], e.g. mqtt://broker.internal:1883';

/** Parses `mqtt://host[:port]`, `mqtts://host[:port]` or a bare `host[:port]` (mqtt://). */
export function parseMqttTarget(text: string): MqttAddress | { error: string } {
  const trimmed = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return hostPort(trimmed, false);
  if (scheme !== 'mqtt' && scheme !== 'mqtts')
    return { error: `scheme "${scheme}://" is not mqtt:// or mqtts://` };
  if (!URL.canParse(trimmed)) return { error: FORMAT_HINT };
  const url = new URL(trimmed);
  // Credentials in a target would be shown everywhere the target is.
  if (url.username !== '' || url.password !== '')
    return {
      error:
        'credentials in the URL are not accepted: use the username and password options (the password is masked)',
    };
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '')
    return { error: 'a path, query or fragment is not supported (the topic is an option)' };
  const tls = scheme === 'mqtts';
  const port = url.port === '' ? (tls ? MQTTS_DEFAULT_PORT : MQTT_DEFAULT_PORT) : Number(url.port);
  return hostPort(formatHostPort(unbracket(url.hostname), port), tls);
}

function hostPort(text: string, tls: boolean): MqttAddress | { error: string } {
  const parts = splitHostPort(text);
  if (!parts || parts.host === '') return { error: FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  const port = parts.port === undefined ? MQTT_DEFAULT_PORT : parsePort(parts.port);
  if (port === undefined)
    return { error: `port "${parts.port ?? ''}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port, tls };
}

/** The stored form: always a URL with its port written out. */
export function formatMqttTarget(address: MqttAddress): string {
  return `${address.tls ? 'mqtts' : 'mqtt'}://${formatHostPort(address.host, address.port)}`;
}

/** Validates an mqtt target and normalises it (scheme, lower-case host, port written out). */
export const mqttTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseMqttTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatMqttTarget(parsed);
});

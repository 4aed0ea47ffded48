import type { MappingRow } from '../types.ts';
import { compact, list, text, whole } from '../values.ts';

type Settings = Readonly<Record<string, unknown>>;

interface ProviderMapping {
  gatus: string;
  channel: string;
  note: string;
  settings(settings: Settings): Record<string, unknown>;
}

/**
 * Gatus alerting providers with a Crosscheck channel (`alerting.<provider>` → one target named
 * `gatus-<provider>`). Anything else is reported. The mapper and docs/importing.md read this.
 */
export const GATUS_PROVIDERS: readonly ProviderMapping[] = [
  {
    gatus: 'slack',
    channel: 'slack',
    note: 'webhook-url',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url') }),
  },
  {
    gatus: 'discord',
    channel: 'discord',
    note: 'webhook-url',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url') }),
  },
  {
    gatus: 'teams-workflows',
    channel: 'teams',
    note: 'webhook-url (a Workflows webhook)',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url') }),
  },
  {
    gatus: 'teams',
    channel: 'teams',
    note: 'webhook-url; Crosscheck posts to Workflows webhooks, so an old connector URL needs replacing',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url') }),
  },
  {
    gatus: 'google-chat',
    channel: 'google_chat',
    note: 'webhook-url',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url') }),
  },
  {
    gatus: 'mattermost',
    channel: 'mattermost',
    note: 'webhook-url, channel',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url'), channel: text(s, 'channel') }),
  },
  {
    gatus: 'rocketchat',
    channel: 'rocket_chat',
    note: 'webhook-url, channel',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url'), channel: text(s, 'channel') }),
  },
  {
    gatus: 'zulip',
    channel: 'zulip',
    note: 'bot-email, bot-api-key, domain (as https://domain), channel-id as the stream',
    settings: (s) => {
      const domain = text(s, 'domain');
      return compact({
        serverUrl:
          domain === undefined ? undefined : domain.includes('://') ? domain : `https://${domain}`,
        botEmail: text(s, 'bot-email'),
        apiKey: text(s, 'bot-api-key'),
        stream: text(s, 'channel-id'),
      });
    },
  },
  {
    gatus: 'telegram',
    channel: 'telegram',
    note: 'token, id, api-url',
    settings: (s) =>
      compact({ botToken: text(s, 'token'), chatId: text(s, 'id'), apiUrl: text(s, 'api-url') }),
  },
  {
    gatus: 'matrix',
    channel: 'matrix',
    note: 'server-url, access-token, internal-room-id',
    settings: (s) =>
      compact({
        homeserverUrl: text(s, 'server-url') ?? 'https://matrix-client.matrix.org',
        accessToken: text(s, 'access-token'),
        roomId: text(s, 'internal-room-id'),
      }),
  },
  {
    gatus: 'signal',
    channel: 'signal',
    note: 'api-url, number, recipients',
    settings: (s) =>
      compact({
        url: text(s, 'api-url'),
        number: text(s, 'number'),
        recipients: Array.isArray(s['recipients'])
          ? s['recipients'].map(String)
          : list(text(s, 'recipients')),
      }),
  },
  {
    gatus: 'pushover',
    channel: 'pushover',
    note: 'application-token, user-key, sound, device',
    settings: (s) =>
      compact({
        token: text(s, 'application-token'),
        user: text(s, 'user-key'),
        sound: text(s, 'sound'),
        device: text(s, 'device'),
      }),
  },
  {
    gatus: 'gotify',
    channel: 'gotify',
    note: 'server-url, token',
    settings: (s) => compact({ url: text(s, 'server-url'), token: text(s, 'token') }),
  },
  {
    gatus: 'ntfy',
    channel: 'ntfy',
    note: 'url (default https://ntfy.sh), topic, token',
    settings: (s) =>
      compact({
        url: text(s, 'url') ?? 'https://ntfy.sh',
        topic: text(s, 'topic'),
        token: text(s, 'token'),
      }),
  },
  {
    gatus: 'twilio',
    channel: 'twilio',
    note: 'sid, token, from, to',
    settings: (s) =>
      compact({
        accountSid: text(s, 'sid'),
        authToken: text(s, 'token'),
        from: text(s, 'from'),
        to: text(s, 'to'),
      }),
  },
  {
    gatus: 'pagerduty',
    channel: 'pagerduty',
    note: 'integration-key as routing key',
    settings: (s) => compact({ routingKey: text(s, 'integration-key') }),
  },
  {
    gatus: 'opsgenie',
    channel: 'opsgenie',
    note: 'api-key, api-url (default https://api.opsgenie.com) and priority',
    settings: (s) =>
      compact({
        apiKey: text(s, 'api-key'),
        apiUrl: originOfApi(text(s, 'api-url')),
        priority: text(s, 'priority'),
      }),
  },
  {
    gatus: 'ilert',
    channel: 'ilert',
    note: 'integration-key',
    settings: (s) => compact({ integrationKey: text(s, 'integration-key') }),
  },
  {
    gatus: 'squadcast',
    channel: 'squadcast',
    note: 'webhook-url',
    settings: (s) => compact({ webhookUrl: text(s, 'webhook-url') }),
  },
  {
    gatus: 'datadog',
    channel: 'datadog',
    note: 'api-key; site (e.g. datadoghq.eu) as https://api.<site>',
    settings: (s) => {
      const site = text(s, 'site');
      return compact({
        apiKey: text(s, 'api-key'),
        apiUrl: site === undefined ? undefined : `https://api.${site}`,
      });
    },
  },
  {
    gatus: 'incident-io',
    channel: 'incident_io',
    note: 'auth-token; the alert source id from the end of url',
    settings: (s) =>
      compact({
        token: text(s, 'auth-token'),
        alertSourceConfigId: text(s, 'url')?.split('/').filter(Boolean).pop(),
      }),
  },
  {
    gatus: 'github',
    channel: 'github',
    note: 'repository-url (owner and repo), token',
    settings: (s) => ({
      ...repository(text(s, 'repository-url')),
      ...compact({ token: text(s, 'token') }),
    }),
  },
  {
    gatus: 'gitea',
    channel: 'gitea',
    note: 'repository-url (server, owner and repo), token',
    settings: (s) => {
      const url = text(s, 'repository-url');
      return { ...repository(url), ...compact({ url: originOfApi(url), token: text(s, 'token') }) };
    },
  },
  {
    gatus: 'email',
    channel: 'email',
    note: 'host, port (465: TLS, else STARTTLS), username, password, from, comma-separated to',
    settings: (s) => {
      const port = whole(s, 'port');
      return compact({
        host: text(s, 'host'),
        port,
        security: port === 465 ? 'tls' : 'starttls',
        username: text(s, 'username'),
        password: text(s, 'password'),
        from: text(s, 'from'),
        to: list(text(s, 'to')),
      });
    },
  },
  {
    gatus: 'custom',
    channel: 'webhook',
    note: 'url and headers; Crosscheck sends its own JSON event, so a custom body (and a method other than POST) is reported',
    settings: (s) => compact({ url: text(s, 'url'), headers: headerMap(s['headers']) }),
  },
];

export function gatusProviderMapping(name: string): ProviderMapping | undefined {
  return GATUS_PROVIDERS.find((p) => p.gatus === name);
}

export function gatusProviderRows(): MappingRow[] {
  return GATUS_PROVIDERS.map((p) => ({ source: p.gatus, crosscheck: p.channel, note: p.note }));
}

function originOfApi(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** `https://github.com/acme/status` → owner acme, repo status. */
function repository(url: string | undefined): Record<string, unknown> {
  if (url === undefined) return {};
  try {
    const [owner, repo] = new URL(url).pathname.split('/').filter(Boolean);
    return compact({ owner, repo: repo?.replace(/\.git$/, '') });
  } catch {
    return {};
  }
}

function headerMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

import type { MappingRow } from '../types.ts';
import { compact, flag, list, originOf, text, whole } from '../values.ts';

type Config = Readonly<Record<string, unknown>>;

interface NotificationMapping {
  /** Kuma's provider name as it appears in `config.type`. */
  kuma: string;
  channel: string;
  note: string;
  settings(config: Config): Record<string, unknown>;
  /** Settings Kuma has that Crosscheck does not carry over, worth a warning when set. */
  dropped?: (config: Config) => string | undefined;
}

/**
 * Kuma notification providers with a Crosscheck channel, by Kuma's `type`, and the settings
 * each becomes. Anything else is reported. The mapper and docs/importing.md read this table.
 */
export const KUMA_NOTIFICATIONS: readonly NotificationMapping[] = [
  {
    kuma: 'slack',
    channel: 'slack',
    note: 'incoming webhook URL (channel, user name and icon are the webhook’s own)',
    settings: (c) => compact({ webhookUrl: text(c, 'slackwebhookURL') }),
  },
  {
    kuma: 'discord',
    channel: 'discord',
    note: 'webhook URL, user name',
    settings: (c) =>
      compact({ webhookUrl: text(c, 'discordWebhookUrl'), username: text(c, 'discordUsername') }),
  },
  {
    kuma: 'teams',
    channel: 'teams',
    note: 'webhook URL (Crosscheck posts to a Teams Workflows webhook; old Office 365 connector URLs need replacing)',
    settings: (c) => compact({ webhookUrl: text(c, 'webhookUrl') }),
  },
  {
    kuma: 'GoogleChat',
    channel: 'google_chat',
    note: 'webhook URL',
    settings: (c) => compact({ webhookUrl: text(c, 'googleChatWebhookURL') }),
  },
  {
    kuma: 'mattermost',
    channel: 'mattermost',
    note: 'webhook URL, channel, user name, icon URL',
    settings: (c) =>
      compact({
        webhookUrl: text(c, 'mattermostWebhookUrl'),
        channel: text(c, 'mattermostchannel'),
        username: text(c, 'mattermostusername'),
        iconUrl: text(c, 'mattermosticonurl'),
      }),
  },
  {
    kuma: 'rocket.chat',
    channel: 'rocket_chat',
    note: 'webhook URL, channel, user name (as alias)',
    settings: (c) =>
      compact({
        webhookUrl: text(c, 'rocketwebhookURL'),
        channel: text(c, 'rocketchannel'),
        alias: text(c, 'rocketusername'),
      }),
  },
  {
    kuma: 'telegram',
    channel: 'telegram',
    note: 'bot token, chat id',
    settings: (c) =>
      compact({ botToken: text(c, 'telegramBotToken'), chatId: text(c, 'telegramChatID') }),
  },
  {
    kuma: 'matrix',
    channel: 'matrix',
    note: 'homeserver URL, internal room id, access token',
    settings: (c) =>
      compact({
        homeserverUrl: text(c, 'homeserverUrl'),
        roomId: text(c, 'internalRoomId'),
        accessToken: text(c, 'accessToken'),
      }),
  },
  {
    kuma: 'signal',
    channel: 'signal',
    note: 'signal-cli REST URL, number, comma-separated recipients',
    settings: (c) =>
      compact({
        url: text(c, 'signalURL'),
        number: text(c, 'signalNumber'),
        recipients: list(text(c, 'signalRecipients')),
      }),
  },
  {
    kuma: 'pushover',
    channel: 'pushover',
    note: 'user key, app token, device, sound',
    settings: (c) =>
      compact({
        user: text(c, 'pushoveruserkey'),
        token: text(c, 'pushoverapptoken'),
        device: text(c, 'pushoverdevice'),
        sound: text(c, 'pushoversounds'),
      }),
  },
  {
    kuma: 'gotify',
    channel: 'gotify',
    note: 'server URL, application token',
    settings: (c) =>
      compact({ url: text(c, 'gotifyserverurl'), token: text(c, 'gotifyapplicationToken') }),
  },
  {
    kuma: 'ntfy',
    channel: 'ntfy',
    note: 'server URL, topic, access token or user name and password',
    settings: ntfySettings,
  },
  {
    kuma: 'twilio',
    channel: 'twilio',
    note: 'account SID, auth token, from and to numbers',
    settings: (c) =>
      compact({
        accountSid: text(c, 'twilioAccountSID'),
        authToken: text(c, 'twilioAuthToken'),
        from: text(c, 'twilioFromNumber'),
        to: text(c, 'twilioToNumber'),
      }),
  },
  {
    kuma: 'PagerDuty',
    channel: 'pagerduty',
    note: 'integration key as routing key; the integration URL’s host as API address',
    settings: (c) =>
      compact({
        routingKey: text(c, 'pagerdutyIntegrationKey'),
        apiUrl: originOf(text(c, 'pagerdutyIntegrationUrl')),
      }),
  },
  {
    kuma: 'Opsgenie',
    channel: 'opsgenie',
    note: 'API key; region eu → api.eu.opsgenie.com; priority 1-5 → P1-P5',
    settings: (c) => {
      const priority = whole(c, 'opsgeniePriority');
      return compact({
        apiKey: text(c, 'opsgenieApiKey'),
        ...(text(c, 'opsgenieRegion') === 'eu' ? { apiUrl: 'https://api.eu.opsgenie.com' } : {}),
        priority:
          priority !== undefined && priority >= 1 && priority <= 5 ? `P${priority}` : undefined,
      });
    },
  },
  {
    kuma: 'webhook',
    channel: 'webhook',
    note: 'URL and additional headers; Crosscheck sends its own JSON event (a custom body is reported)',
    settings: (c) => compact({ url: text(c, 'webhookURL'), headers: webhookHeaders(c) }),
    dropped: (c) =>
      text(c, 'webhookContentType') === 'custom' || text(c, 'webhookContentType') === 'form-data'
        ? 'the webhook now receives Crosscheck’s JSON event instead of its custom or form body'
        : undefined,
  },
  {
    kuma: 'smtp',
    channel: 'email',
    note: 'host, port, TLS (“secure”) or STARTTLS, user and password, from, to (CC and BCC join To)',
    settings: (c) =>
      compact({
        host: text(c, 'smtpHost'),
        port: whole(c, 'smtpPort'),
        security: flag(c, 'smtpSecure') === true ? 'tls' : 'starttls',
        username: text(c, 'smtpUsername'),
        password: text(c, 'smtpPassword'),
        from: addressOnly(text(c, 'smtpFrom')),
        to: [text(c, 'smtpTo'), text(c, 'smtpCC'), text(c, 'smtpBCC')].flatMap(list),
      }),
  },
];

/** Finds the mapping for a Kuma provider name (case-insensitive: Kuma mixes cases). */
export function kumaNotificationMapping(type: string): NotificationMapping | undefined {
  const wanted = type.toLowerCase();
  return KUMA_NOTIFICATIONS.find((m) => m.kuma.toLowerCase() === wanted);
}

export function kumaNotificationRows(): MappingRow[] {
  return KUMA_NOTIFICATIONS.map((m) => ({ source: m.kuma, crosscheck: m.channel, note: m.note }));
}

function ntfySettings(c: Config): Record<string, unknown> {
  const method = text(c, 'ntfyAuthenticationMethod');
  return compact({
    url: text(c, 'ntfyserverurl'),
    topic: text(c, 'ntfytopic'),
    token: method === 'accessToken' ? text(c, 'ntfyaccesstoken') : undefined,
    username: method === 'usernamePassword' ? text(c, 'ntfyusername') : undefined,
    password: method === 'usernamePassword' ? text(c, 'ntfypassword') : undefined,
  });
}

/** Kuma's additional headers: JSON text of an object. */
function webhookHeaders(c: Config): Record<string, string> | undefined {
  const raw = text(c, 'webhookAdditionalHeaders');
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    // Not JSON: the target is created without them and the schema has nothing to refuse.
  }
  return undefined;
}

/** `"Uptime Kuma" <kuma@example.org>` → `kuma@example.org`. */
function addressOnly(from: string | undefined): string | undefined {
  if (from === undefined) return undefined;
  const angle = /<([^>]+)>/.exec(from);
  return (angle?.[1] ?? from).trim();
}

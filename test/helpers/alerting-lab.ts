import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { ProviderRequest } from '../../src/alerts/testing/channel-fixture.ts';
import { webhookFixture } from '../../src/alerts/channels/slack/fixture.ts';
import { valueAt } from '../../src/alerts/testing/protocol-checks.ts';
import {
  startProviderServer,
  type ProviderServer,
} from '../../src/alerts/testing/provider-server.ts';
import { startSmtpProvider, type SmtpProvider } from '../../src/alerts/testing/smtp-provider.ts';
import { createTestCa, issueLeaf } from './certs.ts';
import { waitFor } from './cli.ts';

// The outside world of an alerting end-to-end test, all on 127.0.0.1 port 0: the services the
// monitors check (answering 200 or 503 as the test says), Slack's incoming-webhook endpoint
// checking Slack's documented protocol, and a real SMTP server demanding STARTTLS and a login.

/** The incoming webhook's last path segment: the credential no output may show. */
export const SLACK_HOOK_SECRET = 'e2eHookSecret0x7Fq2Lm9Zt4Wp';
/** The SMTP login; the password is the credential no output may show. */
export const SMTP_LOGIN = { username: 'crosscheck-alerts', password: 'smtp-e2e-pass-5Jv8Rk2Xc' };
export const MAIL_FROM = 'crosscheck@example.com';
export const MAIL_TO = 'oncall@example.com';

/** Services the monitors check: each path answers the status the test sets (404 when unset). */
export interface HealthServer {
  url(path: string): string;
  set(path: string, status: number): void;
  /** Checks the path has answered so far. */
  hits(path: string): number;
  close(): Promise<void>;
}

export interface AlertingLab {
  health: HealthServer;
  slack: ProviderServer;
  smtp: SmtpProvider;
  /** `http://127.0.0.1:<port>/services/T…/B…/<secret>`, as Slack hands out. */
  slackWebhookUrl: string;
  /** The test CA that issued the SMTP server's certificate (PEM). */
  caPem: string;
  /** A file holding the SMTP password, for `--password-file`. */
  passwordFile: string;
  /** `alerts target add --type slack` settings flags for the local Slack endpoint. */
  slackFlags(): string[];
  /** `alerts target add --type email` settings flags: STARTTLS, login, password from a file. */
  emailFlags(): string[];
  /** Slack messages whose text names `subject` (a monitor's name), oldest first. */
  slackAbout(subject: string): ProviderRequest[];
  /** Mails whose subject names `subject`, oldest first. */
  mailsAbout(subject: string): ParsedMail[];
  /** Waits until at least `count` Slack messages name `subject`. */
  waitSlack(subject: string, count: number, timeoutMs?: number): Promise<ProviderRequest[]>;
  /** Waits until at least `count` mails name `subject`. */
  waitMails(subject: string, count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** What Slack's incoming-webhook fixture says is wrong with a request (empty: as documented). */
export function slackProtocolProblems(request: ProviderRequest): string[] {
  return webhookFixture.protocol(request);
}

/** The fallback `text` of a Slack message. */
export function slackText(request: ProviderRequest): string {
  const text = valueAt(request.json, 'text');
  return typeof text === 'string' ? text : '';
}

export async function startAlertingLab(dir: string): Promise<AlertingLab> {
  const ca = await createTestCa('Crosscheck e2e SMTP CA');
  const leaf = await issueLeaf(ca, { hosts: ['localhost', '127.0.0.1'] });
  const health = await startHealthServer();
  // The provider answers 400 naming the violations when a request breaks Slack's protocol.
  const slack = await startProviderServer({
    protocol: (request) => webhookFixture.protocol(request),
    accept: (request) => webhookFixture.accept?.(request) ?? { status: 200, body: 'ok' },
  });
  const smtp = await startSmtpProvider({ security: 'starttls', ...leaf, login: SMTP_LOGIN });
  const passwordFile = path.join(dir, 'smtp-password');
  fs.writeFileSync(passwordFile, `${SMTP_LOGIN.password}\n`, { mode: 0o600 });

  const slackWebhookUrl = `${slack.baseUrl}/services/T0E2E0001/B0E2E0002/${SLACK_HOOK_SECRET}`;
  const slackAbout = (subject: string) =>
    slack.requests.filter((r) => slackText(r).includes(subject));
  const mailsAbout = (subject: string) =>
    smtp.mails.map((m) => m.mail).filter((m) => (m.subject ?? '').includes(subject));
  const atLeast = <T>(list: () => T[], count: number) => {
    const found = list();
    return found.length >= count ? found : undefined;
  };
  return {
    health,
    slack,
    smtp,
    slackWebhookUrl,
    caPem: ca.certPem,
    passwordFile,
    slackFlags: () => ['--webhook-url', slackWebhookUrl],
    emailFlags: () => [
      ...['--host', smtp.host, '--port', String(smtp.port), '--security', 'starttls'],
      ...['--username', SMTP_LOGIN.username, '--password-file', passwordFile],
      ...['--from', MAIL_FROM, '--to', MAIL_TO],
      // A PEM starts with dashes: given inline so it is not read as a flag.
      `--ca-certificate=${ca.certPem}`,
    ],
    slackAbout,
    mailsAbout,
    waitSlack: (subject, count, timeoutMs = 30_000) =>
      waitFor(
        () => atLeast(() => slackAbout(subject), count),
        timeoutMs,
        () => `${count} Slack messages about ${subject} (got ${slackAbout(subject).length})`,
      ),
    waitMails: (subject, count, timeoutMs = 30_000) =>
      waitFor(
        () => atLeast(() => mailsAbout(subject), count),
        timeoutMs,
        () => `${count} mails about ${subject} (got ${mailsAbout(subject).length})`,
      ),
    async close() {
      await Promise.all([health.close(), slack.close(), smtp.close()]);
    },
  };
}

async function startHealthServer(): Promise<HealthServer> {
  const statuses = new Map<string, number>();
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const where = new URL(req.url ?? '/', 'http://health.local').pathname;
    hits.set(where, (hits.get(where) ?? 0) + 1);
    res.writeHead(statuses.get(where) ?? 404, { 'content-type': 'text/plain' }).end('health');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (where) => `http://127.0.0.1:${port}${where}`,
    set: (where, status) => statuses.set(where, status),
    hits: (where) => hits.get(where) ?? 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

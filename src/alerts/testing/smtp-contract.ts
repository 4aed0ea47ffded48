import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressObject, ParsedMail } from 'mailparser';
import { z } from 'zod';
import { createTestCa, issueLeaf } from '../../../test/helpers/certs.ts';
import { redactSettings, secretValues } from '../kit/secrets.ts';
import type { AnyAlertChannel } from '../registry.ts';
import type { OutgoingAlert } from '../types.ts';
import type { LocalSmtpServer, SmtpChannelFixture } from './channel-fixture.ts';
import {
  assertNoSecret,
  dispatchOnce,
  failureOf,
  sendThrough,
  type SendOptions,
} from './contract-support.ts';
import { SAMPLE_EVENTS, sampleOutgoing } from './sample-alerts.ts';
import { startSilentServer, startSmtpProvider, type SmtpProvider } from './smtp-provider.ts';

/** Time limit for a whole SMTP session (TLS handshakes included) on a loaded test machine. */
const SESSION_TIMEOUT_MS = 5000;
/** The silent-server case waits this long. */
const HANG_TIMEOUT_MS = 400;
/** RFC 5322 §2.1.1: no line (a subject included) may exceed 998 characters. */
const MAX_LINE = 998;

const normal: SendOptions = { timeoutMs: SESSION_TIMEOUT_MS };

/**
 * The contract every SMTP channel passes against a real SMTP server (smtp-server) that
 * demands a login (PLAIN or LOGIN) over an encrypted session (STARTTLS, or TLS from the
 * start): each sample alert arrives with its subject, recipients, text and HTML parts; a
 * closing replies to its opening mail; 4xx replies are retryable and 5xx final; a server that
 * never answers is a retryable timeout; and no secret shows in errors, receipts or logs.
 */
export function describeSmtpChannelContract(
  channel: AnyAlertChannel,
  fixture: SmtpChannelFixture,
): void {
  describe(`channel ${channel.type}: SMTP contract`, () => {
    const servers = new Map<'starttls' | 'tls', SmtpProvider>();
    let caCertificate = '';
    const primary = fixture.securities[0] ?? 'starttls';

    before(async () => {
      const ca = await createTestCa('Crosscheck SMTP Test CA');
      const leaf = await issueLeaf(ca, { hosts: ['localhost', '127.0.0.1'] });
      caCertificate = ca.certPem;
      for (const security of fixture.securities) {
        servers.set(security, await startSmtpProvider({ security, ...leaf, login: fixture.login }));
      }
    });
    after(async () => {
      for (const server of servers.values()) await server.close();
    });

    const serverOf = (security = primary): SmtpProvider => {
      const server = servers.get(security);
      assert.ok(server !== undefined, `no ${security} server`);
      return server;
    };
    const address = (server: SmtpProvider): LocalSmtpServer => ({
      host: server.host,
      port: server.port,
      security: server.security,
      caCertificate,
    });
    const settingsFor = (server: SmtpProvider, login = fixture.login): unknown =>
      fixture.settings(address(server), login);

    it('its settings parse, declare every secret, and show none', () => {
      const parsed = channel.settingsSchema.parse(settingsFor(serverOf()));
      const declared = secretValues(channel.secrets, parsed);
      for (const secret of fixture.secrets) {
        assert.ok(declared.includes(secret), `secret "${secret.slice(0, 3)}…" is not declared`);
      }
      assertNoSecret(
        JSON.stringify(redactSettings(channel.secrets, parsed)),
        fixture.secrets,
        'redacted settings',
      );
      assert.ok(fixture.docs.length > 0 && fixture.docs.every((d) => d.startsWith('https://')));
      z.toJSONSchema(channel.settingsSchema, { io: 'input', unrepresentable: 'any' });
    });

    const sequence: [string, keyof typeof SAMPLE_EVENTS, keyof typeof SAMPLE_EVENTS | null][] = [
      ['down', 'down', null],
      ['recovered', 'recovered', 'down'],
      ['regional', 'regional', null],
      ['retracted', 'retracted', 'down'],
      ['node-missing', 'nodeMissing', null],
      ['node-online', 'nodeOnline', 'nodeMissing'],
      ['a message past every length limit', 'huge', null],
    ];
    const opened = new Map<string, { ref: string | null; mail: ParsedMail }>();
    for (const [label, key, opening] of sequence) {
      it(`delivers ${label}: subject, recipients, text and HTML, threaded`, async () => {
        const server = serverOf();
        const openingMail = opening === null ? undefined : opened.get(opening);
        const alert = sampleOutgoing(SAMPLE_EVENTS[key], openingMail?.ref ?? null);
        const before = server.mails.length;
        const receipt = await sendThrough(channel, settingsFor(server), alert, normal);
        assert.equal(server.mails.length, before + 1, 'exactly one mail arrived');
        const received = server.mails[before];
        assert.ok(received !== undefined);
        assert.equal(received.secure, true, 'the session was encrypted');
        assert.equal(received.user, fixture.login.username, 'the client logged in');
        assert.ok(['PLAIN', 'LOGIN'].includes(received.authMethod ?? ''), 'AUTH PLAIN or LOGIN');
        assert.equal(received.envelope.from, fixture.from);
        assert.deepEqual(received.envelope.to, [...fixture.to]);
        assertMailContent(received.mail, alert, fixture);
        if (openingMail !== undefined) assertReplyTo(received.mail, openingMail.mail);
        assertNoSecret(receipt.answer, fixture.secrets, 'the receipt');
        opened.set(key, { ref: receipt.providerRef ?? null, mail: received.mail });
      });
    }

    for (const security of fixture.securities.slice(1)) {
      it(`delivers over ${security} as well`, async () => {
        const server = serverOf(security);
        const before = server.mails.length;
        const alert = sampleOutgoing(SAMPLE_EVENTS.down);
        await sendThrough(channel, settingsFor(server), alert, normal);
        const received = server.mails[before];
        assert.equal(received?.secure, true);
        assert.ok(received !== undefined);
        assertMailContent(received.mail, alert, fixture);
      });
    }

    it('a wrong password is a final error that shows no password', async () => {
      const wrong = { ...fixture.login, password: `${fixture.login.password}-but-wrong` };
      const failure = await failureOf(
        channel,
        settingsFor(serverOf(), wrong),
        sampleOutgoing(SAMPLE_EVENTS.down),
        normal,
      );
      assert.equal(failure.retryable, false);
      assert.equal(failure.status, 535);
      assertNoSecret(failure.message, [...fixture.secrets, wrong.password], 'the error');
    });

    it('a 4xx reply (451 at RCPT TO) is retryable', async () => {
      serverOf().replyNext({ stage: 'rcpt', code: 451, message: 'Try again later' });
      const failure = await failureOf(
        channel,
        settingsFor(serverOf()),
        sampleOutgoing(SAMPLE_EVENTS.down),
        normal,
      );
      assert.equal(failure.retryable, true);
      assert.equal(failure.status, 451);
    });

    it('a 5xx reply (550 after DATA) is final', async () => {
      serverOf().replyNext({ stage: 'data', code: 550, message: 'Message rejected' });
      const failure = await failureOf(
        channel,
        settingsFor(serverOf()),
        sampleOutgoing(SAMPLE_EVENTS.down),
        normal,
      );
      assert.equal(failure.retryable, false);
      assert.equal(failure.status, 550);
    });

    it('a server that never answers is a retryable timeout', async () => {
      const silent = await startSilentServer();
      try {
        const settings = fixture.settings(
          { ...address(serverOf()), port: silent.port },
          fixture.login,
        );
        const started = performance.now();
        const failure = await failureOf(channel, settings, sampleOutgoing(SAMPLE_EVENTS.down), {
          timeoutMs: HANG_TIMEOUT_MS,
        });
        assert.equal(failure.retryable, true);
        assert.match(failure.message, /timed out/);
        assert.ok(performance.now() - started < 5000, 'settles within its time limit');
      } finally {
        await silent.close();
      }
    });

    it('never logs or stores a secret, even when the server echoes it back', async () => {
      serverOf().replyNext({
        stage: 'data',
        code: 554,
        message: `rejected for ${fixture.secrets.join(' ')}`,
      });
      const { stored, logLines } = await dispatchOnce(
        channel,
        settingsFor(serverOf()),
        sampleOutgoing(SAMPLE_EVENTS.down),
        normal,
      );
      assert.equal(stored?.status, 'failed');
      assert.match(String(stored?.lastError), /554/);
      assertNoSecret(JSON.stringify(stored?.lastError), fixture.secrets, 'the stored error');
      assertNoSecret(logLines.join('\n'), fixture.secrets, 'the log');
    });
  });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.map((a) => a.address ?? ''));
}

/** Subject, headers, text and HTML parts say what the alert says. */
function assertMailContent(mail: ParsedMail, alert: OutgoingAlert, fixture: SmtpChannelFixture) {
  const subject = mail.subject ?? '';
  assert.ok(subject.startsWith(fixture.subjectPrefix), `subject "${subject}" lacks its prefix`);
  assert.ok(subject.length <= MAX_LINE, 'subject fits one line');
  const title = alert.message.title;
  assert.ok(
    subject.includes(title.slice(0, 40)),
    `subject "${subject}" does not carry the title "${title}"`,
  );
  assert.deepEqual(addresses(mail.from), [fixture.from]);
  assert.deepEqual(addresses(mail.to), [...fixture.to]);
  assert.ok(mail.messageId?.match(/^<[^<>\s]+@[^<>\s]+>$/), 'a Message-ID');
  const text = mail.text ?? '';
  const html = typeof mail.html === 'string' ? mail.html : '';
  assert.ok(text.includes(title), 'the text part carries the title');
  assert.ok(text.includes(alert.message.text.slice(0, 200)), 'the text part carries the summary');
  assert.ok(html.includes('<h2>'), 'an HTML part');
  assert.ok(html.includes(alert.message.text.slice(0, 30)), 'the HTML part carries the summary');
  for (const fact of alert.message.facts.slice(0, 2)) {
    assert.ok(text.includes(fact.value), `the text names ${fact.label}`);
  }
}

/** A closing mail replies to its opening mail, so clients thread them. */
function assertReplyTo(mail: ParsedMail, opening: ParsedMail) {
  assert.ok(opening.messageId !== undefined);
  assert.equal(mail.inReplyTo, opening.messageId, 'In-Reply-To names the opening mail');
  const references = mail.references === undefined ? [] : [mail.references].flat();
  assert.ok(references.includes(opening.messageId), 'References name the opening mail');
  assert.notEqual(mail.messageId, opening.messageId, 'a Message-ID of its own');
}

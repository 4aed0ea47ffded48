import type { SmtpChannelFixture } from '../../testing/channel-fixture.ts';

const PASSWORD = 'smtp-contract-password-0001';

/** SMTP (RFC 5321) with STARTTLS (RFC 3207), TLS on connect (RFC 8314) and AUTH (RFC 4954). */
export const fixture: SmtpChannelFixture = {
  kind: 'smtp',
  docs: [
    'https://www.rfc-editor.org/rfc/rfc5321',
    'https://www.rfc-editor.org/rfc/rfc3207',
    'https://www.rfc-editor.org/rfc/rfc8314',
    'https://www.rfc-editor.org/rfc/rfc4954',
  ],
  securities: ['starttls', 'tls'],
  login: { username: 'alerts@example.test', password: PASSWORD },
  settings: (server, login) => ({
    host: server.host,
    port: server.port,
    security: server.security,
    username: login.username,
    password: login.password,
    from: 'crosscheck@example.test',
    fromName: 'Crosscheck',
    to: ['ops@example.test', 'oncall@example.test'],
    subjectPrefix: '[Crosscheck]',
    caCertificate: server.caCertificate,
  }),
  secrets: [PASSWORD],
  from: 'crosscheck@example.test',
  to: ['ops@example.test', 'oncall@example.test'],
  subjectPrefix: '[Crosscheck]',
};

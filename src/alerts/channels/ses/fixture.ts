import type { SmtpChannelFixture } from '../../testing/channel-fixture.ts';

const PASSWORD = 'BOtEsTsEsSmTpPaSsWoRd0001contract';

/** SES SMTP interface: STARTTLS on 587, login with SMTP credentials (AUTH PLAIN/LOGIN). */
export const fixture: SmtpChannelFixture = {
  kind: 'smtp',
  docs: [
    'https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html',
    'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html',
  ],
  securities: ['starttls'],
  login: { username: 'AKIAIOSFODNN7EXAMPLE', password: PASSWORD },
  settings: (server, login) => ({
    region: 'eu-west-1',
    host: server.host,
    port: server.port,
    username: login.username,
    password: login.password,
    from: 'alerts@example.test',
    to: ['ops@example.test'],
    caCertificate: server.caCertificate,
  }),
  secrets: [PASSWORD],
  from: 'alerts@example.test',
  to: ['ops@example.test'],
  subjectPrefix: '[Crosscheck]',
};

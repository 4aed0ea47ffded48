import { dovecotCheckTests } from '../../../test/helpers/dovecot-check-tests.ts';
import { imapCheck } from './index.ts';

// imap against a real Dovecot: the tests it shares with pop3 (test/helpers/dovecot-check-tests.ts),
// with IMAP's greeting, capability, refusal and login reply.

dovecotCheckTests({
  check: imapCheck,
  protocol: 'IMAP',
  scheme: 'imap',
  implicitScheme: 'imaps',
  otherScheme: 'pop3',
  defaultPort: 143,
  implicitPort: 993,
  ports: (dovecot) => ({ plain: dovecot.ports.imap, implicit: dovecot.ports.imaps }),
  greeting: /^\* OK /,
  capability: 'IMAP4REV1',
  wrongPassword: /^login as probe failed: "a\d+ NO \[AUTHENTICATIONFAILED\]/,
  refusal: '* BYE too many connections',
});

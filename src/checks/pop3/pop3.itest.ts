import { dovecotCheckTests } from '../../../test/helpers/dovecot-check-tests.ts';
import { pop3Check } from './index.ts';

// pop3 against a real Dovecot: the tests it shares with imap (test/helpers/dovecot-check-tests.ts),
// with POP3's greeting, capability, refusal and login reply.

dovecotCheckTests({
  check: pop3Check,
  protocol: 'POP3',
  scheme: 'pop3',
  implicitScheme: 'pop3s',
  otherScheme: 'imap',
  defaultPort: 110,
  implicitPort: 995,
  ports: (dovecot) => ({ plain: dovecot.ports.pop3, implicit: dovecot.ports.pop3s }),
  greeting: /^\+OK /,
  capability: 'UIDL',
  wrongPassword: /^login as probe failed: "-ERR \[AUTH\] Authentication failed/,
  refusal: '-ERR too many connections',
});

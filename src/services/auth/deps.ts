import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import type { SessionPolicy } from './expiry.ts';

/** What every part of the auth service runs with. */
export interface AuthDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  newId(prefix: 'usr' | 'tok'): string;
  /** Defaults to SESSION_POLICY. */
  sessionPolicy?: SessionPolicy;
  /** The data dir's `setup-token` file (first-admin creation); absent where there is none. */
  setupTokenFile?: string;
}

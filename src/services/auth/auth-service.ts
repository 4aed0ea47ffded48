import type { Authenticator } from './authenticate.ts';
import { createAuthenticator } from './authenticate.ts';
import type { AuthDeps } from './deps.ts';
import type { LoginService } from './login.ts';
import { createLoginService } from './login.ts';
import type { ServiceUsers } from './service-users.ts';
import { createServiceUsers } from './service-users.ts';
import type { TotpService } from './totp-enrolment.ts';
import { createTotpService } from './totp-enrolment.ts';
import { createTotpGuard } from './totp-guard.ts';
import type { TokenService } from './tokens.ts';
import { createTokenService } from './tokens.ts';
import type { UserService } from './users.ts';
import { createUserService } from './users.ts';

export type { AuthDeps } from './deps.ts';

/**
 * Everything about who may call: credentials to principals, sign-in, users, TOTP, API tokens,
 * and the built-in service users (local admin, node operators). The only code that reads or
 * writes passwords, secrets and tokens.
 */
export type AuthService = Authenticator &
  LoginService &
  UserService &
  TotpService &
  TokenService &
  ServiceUsers;

export function createAuthService(deps: AuthDeps): AuthService {
  // One guard: a code used to sign in cannot confirm or disable TOTP too, and vice versa.
  const guard = createTotpGuard();
  const tokens = createTokenService(deps);
  return {
    ...createAuthenticator(deps),
    ...createLoginService(deps, guard),
    ...createUserService(deps),
    ...createTotpService(deps, guard),
    ...tokens,
    ...createServiceUsers(deps, tokens),
  };
}

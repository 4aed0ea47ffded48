import { z } from 'zod';
import {
  createTokenInput,
  createUserInput,
  totpCodeSchema,
  updateUserInput,
} from '../services/auth/inputs.ts';
import type { OperationServices } from './services.ts';
import { boolParam, defineOperation, need, pageOf } from './kit.ts';
import {
  createdTokenSchema,
  tokenViewSchema,
  totpEnrolmentSchema,
  userViewSchema,
} from './schemas/auth.ts';

// Sign-in, sign-out and first-admin setup set cookies or run without credentials: they are
// dedicated routes (api/session-routes.ts), not operations. None of these is an MCP tool.

function authService(services: OperationServices) {
  return need(services.auth, 'users and tokens are managed by the running coordinator');
}

const byId = z.object({ id: z.string().min(1).describe('user id') }).strict();
const codeInput = z.object({ code: totpCodeSchema }).strict();

export const me = defineOperation({
  name: 'auth.me',
  summary: 'Who the caller is: user, role, whether TOTP is on',
  input: z.object({}).strict(),
  output: userViewSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/auth/me' },
  cli: ['whoami'],
  mcp: false,
  offline: false,
  async run({ services, principal }) {
    return authService(services).me(principal);
  },
});

export const listUsers = defineOperation({
  name: 'users.list',
  summary: 'Every user (people, the local admin, node service users)',
  input: z.object({}).strict(),
  output: pageOf(userViewSchema),
  access: 'read',
  destructive: false,
  role: 'admin',
  http: { method: 'GET', path: '/api/v1/users' },
  cli: ['user', 'list'],
  mcp: false,
  offline: false,
  async run({ services }) {
    return { items: await authService(services).listUsers(), nextCursor: null };
  },
});

export const createUser = defineOperation({
  name: 'users.create',
  summary: 'Add a person with a role and an initial password',
  input: createUserInput,
  output: userViewSchema,
  access: 'write',
  destructive: false,
  role: 'admin',
  http: { method: 'POST', path: '/api/v1/users', status: 201 },
  cli: ['user', 'add'],
  mcp: false,
  offline: false,
  async run({ services, principal }, input) {
    return authService(services).createUser(principal, input);
  },
});

export const updateUser = defineOperation({
  name: 'users.update',
  summary: 'Change a person’s role, password, or disable them (their sessions end)',
  input: updateUserInput,
  output: userViewSchema,
  access: 'write',
  destructive: false,
  role: 'admin',
  http: { method: 'PATCH', path: '/api/v1/users/{id}' },
  cli: ['user', 'update'],
  mcp: false,
  offline: false,
  async run({ services, principal }, input) {
    return authService(services).updateUser(principal, input);
  },
});

export const deleteUser = defineOperation({
  name: 'users.delete',
  summary: 'Delete a person with their tokens and sessions',
  input: byId,
  output: z.void(),
  access: 'write',
  destructive: true,
  role: 'admin',
  http: { method: 'DELETE', path: '/api/v1/users/{id}', status: 204 },
  cli: ['user', 'remove'],
  mcp: false,
  offline: false,
  async run({ services, principal }, { id }) {
    await authService(services).deleteUser(principal, id);
  },
});

export const enrolTotp = defineOperation({
  name: 'users.totp.enrol',
  summary: 'Start TOTP enrolment for yourself: the secret and otpauth:// URI, shown once',
  input: z.object({}).strict(),
  output: totpEnrolmentSchema,
  access: 'write',
  destructive: false,
  role: 'viewer',
  http: { method: 'POST', path: '/api/v1/auth/me/totp' },
  cli: ['totp', 'enrol'],
  mcp: false,
  offline: false,
  async run({ services, principal }) {
    return authService(services).enrolTotp(principal);
  },
});

export const confirmTotp = defineOperation({
  name: 'users.totp.confirm',
  summary: 'Turn TOTP on with a code from the app; sign-in needs a code from then on',
  input: codeInput,
  output: z.object({ totp: z.literal(true) }),
  access: 'write',
  destructive: false,
  role: 'viewer',
  http: { method: 'POST', path: '/api/v1/auth/me/totp/confirm' },
  cli: ['totp', 'confirm'],
  mcp: false,
  offline: false,
  async run({ services, principal }, { code }) {
    return authService(services).confirmTotp(principal, code);
  },
});

export const disableTotp = defineOperation({
  name: 'users.totp.disable',
  summary: 'Turn your TOTP off (needs a current code)',
  input: codeInput,
  output: z.object({ totp: z.literal(false) }),
  access: 'write',
  destructive: false,
  role: 'viewer',
  http: { method: 'POST', path: '/api/v1/auth/me/totp/disable' },
  cli: ['totp', 'disable'],
  mcp: false,
  offline: false,
  async run({ services, principal }, { code }) {
    return authService(services).disableTotp(principal, code);
  },
});

export const listTokens = defineOperation({
  name: 'tokens.list',
  summary: 'Your API tokens (admins: everyone’s with all=true); never their values',
  input: z.object({ all: boolParam.optional().describe('every user’s tokens (admin)') }).strict(),
  output: pageOf(tokenViewSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/tokens' },
  cli: ['token', 'list'],
  mcp: false,
  offline: false,
  async run({ services, principal }, { all }) {
    const items = await authService(services).listTokens(principal, { all: all ?? false });
    return { items, nextCursor: null };
  },
});

export const createToken = defineOperation({
  name: 'tokens.create',
  summary: 'Make an API token for yourself (read or write, optional expiry); shown once',
  description:
    'The token acts with your role and never more: a read token runs read operations only. Send it as `Authorization: Bearer <token>`.',
  input: createTokenInput,
  output: createdTokenSchema,
  access: 'write',
  destructive: false,
  role: 'viewer',
  http: { method: 'POST', path: '/api/v1/tokens', status: 201 },
  cli: ['token', 'create'],
  mcp: false,
  offline: false,
  async run({ services, principal }, input) {
    return authService(services).createToken(principal, input);
  },
});

export const revokeToken = defineOperation({
  name: 'tokens.revoke',
  summary: 'Revoke one of your tokens (admins: anyone’s); it stops working at once',
  input: z.object({ id: z.string().min(1).describe('token id') }).strict(),
  output: tokenViewSchema,
  access: 'write',
  destructive: true,
  role: 'viewer',
  http: { method: 'DELETE', path: '/api/v1/tokens/{id}' },
  cli: ['token', 'revoke'],
  mcp: false,
  offline: false,
  async run({ services, principal }, { id }) {
    return authService(services).revokeToken(principal, id);
  },
});

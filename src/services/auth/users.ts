import type { User } from '../../domain/auth.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AuthDeps } from './deps.ts';
import type { CreateUserInput, SetupInput, UpdateUserInput } from './inputs.ts';
import { hashPassword } from './password.ts';
import { consumeSetupToken, setupNeeded, setupTokenMatches } from './setup-token.ts';
import type { UserView } from './views.ts';
import { userView } from './views.ts';

export interface UserService {
  /** True while the first admin has not been created. */
  setupNeeded(): Promise<boolean>;
  /** Creates the first admin with the data dir's one-time setup token, then removes it. */
  createFirstAdmin(input: SetupInput): Promise<UserView>;
  me(principal: Principal): Promise<UserView>;
  listUsers(): Promise<UserView[]>;
  createUser(principal: Principal, input: CreateUserInput): Promise<UserView>;
  /** Role, disabled, password; sessions end when a user is disabled or their password changes. */
  updateUser(principal: Principal, input: UpdateUserInput): Promise<UserView>;
  deleteUser(principal: Principal, id: string): Promise<void>;
}

/** People are managed here; the local admin and node users belong to the daemon and `node remove`. */
function personOrRefuse(user: User | undefined, id: string): User {
  if (user === undefined) throw notFound('user', id);
  if (user.kind !== 'person')
    throw new AppError(
      'CONFLICT',
      `${user.name} is a built-in ${user.kind} user; it is managed by ${user.kind === 'node' ? '`crosscheck node remove`' : 'the daemon'}`,
    );
  return user;
}

export function createUserService(deps: AuthDeps): UserService {
  const { store, clock, logger } = deps;

  async function newPerson(name: string, role: User['role'], password: string): Promise<User> {
    return {
      id: deps.newId('usr'),
      name,
      role,
      kind: 'person',
      passwordHash: await hashPassword(password),
      totpSecret: null,
      totpConfirmedAt: null,
      createdAt: clock.now(),
      disabledAt: null,
    };
  }

  return {
    setupNeeded: () => setupNeeded(store),

    async createFirstAdmin(input) {
      const file = deps.setupTokenFile;
      if (file === undefined || !setupTokenMatches(file, input.setupToken)) {
        logger.warn('auth.setup: wrong or missing setup token');
        throw new AppError(
          'UNAUTHORIZED',
          'wrong setup token (see the setup-token file in the data dir)',
          {
            issues: [
              { path: 'setupToken', message: 'does not match the data dir’s setup-token file' },
            ],
          },
        );
      }
      const user = await newPerson(input.name, 'admin', input.password);
      await store.insertFirstAdmin(user);
      consumeSetupToken(file);
      logger.info({ userId: user.id, user: user.name }, 'auth.setup: first admin created');
      return userView(user);
    },

    async me(principal) {
      const user = await store.getUser(principal.userId);
      if (user === undefined) throw notFound('user', principal.userId);
      return userView(user);
    },

    async listUsers() {
      return (await store.listUsers()).map(userView);
    },

    async createUser(principal, input) {
      const user = await newPerson(input.name, input.role, input.password);
      await store.insertUser(user);
      logger.info(
        { userId: user.id, user: user.name, role: user.role, by: principal.name },
        'auth.users: created',
      );
      return userView(user);
    },

    async updateUser(principal, input) {
      const current = personOrRefuse(await store.getUser(input.id), input.id);
      const demotesSelf = input.role !== undefined && input.role !== current.role;
      if (current.id === principal.userId && (demotesSelf || input.disabled === true))
        throw new AppError('CONFLICT', 'you cannot change your own role or disable yourself');
      const updated = await store.updateUser(current.id, {
        ...(input.role === undefined ? {} : { role: input.role }),
        ...(input.disabled === undefined
          ? {}
          : { disabledAt: input.disabled ? (current.disabledAt ?? clock.now()) : null }),
        ...(input.password === undefined
          ? {}
          : { passwordHash: await hashPassword(input.password) }),
      });
      if (input.disabled === true || input.password !== undefined)
        await store.deleteSessions({ userId: current.id });
      logger.info(
        {
          userId: current.id,
          role: input.role,
          disabled: input.disabled,
          passwordChanged: input.password !== undefined,
          by: principal.name,
        },
        'auth.users: updated',
      );
      return userView(updated);
    },

    async deleteUser(principal, id) {
      const user = personOrRefuse(await store.getUser(id), id);
      if (user.id === principal.userId)
        throw new AppError('CONFLICT', 'you cannot delete yourself');
      await store.deleteUser(user.id);
      logger.info({ userId: user.id, user: user.name, by: principal.name }, 'auth.users: deleted');
    },
  };
}

import { api, rememberCsrf, setUnauthorizedHandler } from '../api/client.ts';
import type { SignedIn, UserView } from '../api/types.ts';
import { createStore } from './store.ts';

/** Who is signed in: unknown while the first check runs, then a user or nobody. */
export type SessionState =
  | { kind: 'loading' }
  | { kind: 'setup-needed' }
  | { kind: 'signed-out'; reason?: string }
  | { kind: 'signed-in'; user: UserView };

export const session = createStore<SessionState>({ kind: 'loading' });

setUnauthorizedHandler(() => {
  if (session.get().kind === 'signed-in')
    session.set({ kind: 'signed-out', reason: 'Your session ended; sign in again.' });
});

/** On load: a first run needs setup; otherwise the session cookie says who we are. */
export async function resumeSession(): Promise<void> {
  const state = await api.get<{ user: UserView | null; setupNeeded: boolean }>(
    '/api/v1/auth/session',
  );
  if (state.user !== null) session.set({ kind: 'signed-in', user: state.user });
  else if (state.setupNeeded) session.set({ kind: 'setup-needed' });
  else session.set({ kind: 'signed-out' });
}

export async function signIn(name: string, password: string, totp?: string): Promise<void> {
  const result = await api.post<SignedIn>('/api/v1/auth/login', {
    name,
    password,
    ...(totp !== undefined && totp !== '' ? { totp } : {}),
  });
  rememberCsrf(result.csrfToken);
  session.set({ kind: 'signed-in', user: result.user });
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/api/v1/auth/logout');
  } finally {
    rememberCsrf(undefined);
    session.set({ kind: 'signed-out' });
  }
}

/** Creates the first admin with the one-time token from the data dir, then signs in as them. */
export async function createFirstAdmin(
  setupToken: string,
  name: string,
  password: string,
): Promise<void> {
  await api.post('/api/v1/auth/setup', { setupToken, name, password });
  await signIn(name, password);
}

export function canEdit(user: UserView): boolean {
  return user.role === 'editor' || user.role === 'admin';
}

export function isAdmin(user: UserView): boolean {
  return user.role === 'admin';
}

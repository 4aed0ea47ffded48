import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { ErrorNote } from '../components/feedback.tsx';
import { TextField } from '../components/fields.tsx';
import { createFirstAdmin, signIn } from '../state/session.ts';

function AuthCard(props: { title: string; children: ComponentChildren }) {
  return (
    <main id="main" class="auth-page">
      <div class="auth-card">
        <h1 class="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" /> Crosscheck
        </h1>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </main>
  );
}

export function SignInPage(props: { reason?: string | undefined }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setBusy(true);
    try {
      await signIn(name, password, needsTotp ? totp : undefined);
    } catch (reason) {
      // The API names the missing second factor; ask for it instead of showing an error.
      if (reason instanceof ApiError && reason.issueFor('totp') !== undefined && !needsTotp) {
        setNeedsTotp(true);
        setError(undefined);
      } else setError(reason instanceof Error ? reason : new Error(String(reason)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Sign in">
      {props.reason !== undefined && <p class="note">{props.reason}</p>}
      <form onSubmit={(event) => void submit(event)}>
        <TextField
          id="name"
          label="User name"
          value={name}
          onInput={setName}
          autoComplete="username"
          required
          autoFocus
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
        />
        {needsTotp && (
          <TextField
            id="totp"
            label="Authenticator code"
            value={totp}
            onInput={setTotp}
            inputMode="numeric"
            autoComplete="one-time-code"
            hint="The 6-digit code from your authenticator app."
            required
            autoFocus
          />
        )}
        <ErrorNote error={error} />
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}

export function SetupPage() {
  const [setupToken, setSetupToken] = useState('');
  const [name, setName] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const issue = (field: string): string | undefined =>
    error instanceof ApiError ? error.issueFor(field) : undefined;

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setBusy(true);
    try {
      await createFirstAdmin(setupToken.trim(), name, password);
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="First-run setup">
      <p>
        Create the first administrator. The one-time setup token is in the data directory's{' '}
        <code>setup-token</code> file (the daemon logs its path at start).
      </p>
      <form onSubmit={(event) => void submit(event)}>
        <TextField
          id="setupToken"
          label="Setup token"
          value={setupToken}
          onInput={setSetupToken}
          error={issue('setupToken')}
          autoComplete="off"
          required
          autoFocus
        />
        <TextField
          id="name"
          label="Admin user name"
          value={name}
          onInput={setName}
          error={issue('name')}
          autoComplete="username"
          required
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          error={issue('password')}
          autoComplete="new-password"
          hint="At least 10 characters."
          required
        />
        <ErrorNote error={error} />
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create admin and sign in'}
        </button>
      </form>
    </AuthCard>
  );
}

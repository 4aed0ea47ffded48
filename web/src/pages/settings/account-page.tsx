import { useState } from 'preact/hooks';
import type { TotpEnrolment } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import type { UserView } from '../../api/types.ts';
import { ErrorNote, PageHeader } from '../../components/feedback.tsx';
import { TextField } from '../../components/fields.tsx';
import { QrCode } from '../../components/qr-code.tsx';
import { SecretOnce } from '../../components/secret-once.tsx';
import { formatTime } from '../../lib/format.ts';
import { session } from '../../state/session.ts';
import { useAction } from '../../state/use-action.ts';
import { useStore } from '../../state/store.ts';
import './settings.css';

/** The session's user changed on the server (TOTP on or off): show the new facts everywhere. */
async function refreshUser(): Promise<void> {
  session.set({ kind: 'signed-in', user: await api.get<UserView>('/api/v1/auth/me') });
}

/**
 * Turning TOTP on: enrol (the otpauth URI drawn as a QR code, with the secret and the URI as
 * text for people who cannot scan it), then confirm with a code from the app.
 */
function TotpEnrol() {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>(undefined);
  const [code, setCode] = useState('');
  const action = useAction();
  const { busy, error } = action;
  const run = action.run;
  const enrol = () =>
    run(async () => setEnrolment(await api.post<TotpEnrolment>('/api/v1/auth/me/totp')));
  const confirm = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await api.post('/api/v1/auth/me/totp/confirm', { code: code.trim() });
      await refreshUser();
    });
  };

  if (enrolment === undefined)
    return (
      <>
        <p>Sign-in asks for a code from an authenticator app once this is on.</p>
        <button class="button primary" type="button" disabled={busy} onClick={() => void enrol()}>
          Set up two-factor sign-in
        </button>
        <ErrorNote error={error} />
      </>
    );
  return (
    <>
      <p>
        Scan this code with your authenticator app, or enter the secret below by hand (or paste the
        otpauth URI into an app that accepts one), then type the 6-digit code it shows.
      </p>
      <QrCode
        id="totp-qr"
        value={enrolment.uri}
        label="QR code of the otpauth URI for this account"
      />
      <SecretOnce id="totp-secret" label="Secret (base32)" value={enrolment.secret} />
      <SecretOnce
        id="totp-uri"
        label="otpauth URI"
        value={enrolment.uri}
        note="The QR code above holds this URI. Store neither: they are shown only this once."
      />
      <form onSubmit={confirm}>
        <TextField
          id="totp-confirm-code"
          label="Code from the app"
          value={code}
          onInput={setCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
        />
        <button class="button primary" type="submit" disabled={busy}>
          Turn on
        </button>
      </form>
      <ErrorNote error={error} />
    </>
  );
}

function TotpDisable() {
  const [code, setCode] = useState('');
  const action = useAction();
  const { busy, error } = action;
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      await api.post('/api/v1/auth/me/totp/disable', { code: code.trim() });
      await refreshUser();
    });
  }
  return (
    <form onSubmit={(event) => void submit(event)}>
      <p>Two-factor sign-in is on. To turn it off, enter a current code.</p>
      <TextField
        id="totp-disable-code"
        label="Current code"
        value={code}
        onInput={setCode}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
      />
      <button class="button danger" type="submit" disabled={busy}>
        Turn off
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

/** Who am I, and my second factor. */
export function AccountPage() {
  const state = useStore(session);
  if (state.kind !== 'signed-in') return null;
  const { user } = state;
  return (
    <section>
      <PageHeader title="Account" />
      <div class="card">
        <dl class="account-facts">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
          <dt>Two-factor</dt>
          <dd data-totp={user.totp ? 'on' : 'off'}>{user.totp ? 'on' : 'off'}</dd>
          <dt>Created</dt>
          <dd>{formatTime(user.createdAt)}</dd>
        </dl>
      </div>
      <section class="card" aria-labelledby="totp-heading">
        <h2 id="totp-heading">Two-factor sign-in (TOTP)</h2>
        {user.kind !== 'person' ? (
          <p class="muted">Only people have a second factor.</p>
        ) : user.totp ? (
          <TotpDisable />
        ) : (
          <TotpEnrol />
        )}
      </section>
    </section>
  );
}

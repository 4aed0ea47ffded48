import { useState } from 'preact/hooks';
import type { CreatedToken, TokenView } from '../../api/admin-types.ts';
import { ApiError, api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { TextField } from '../../components/fields.tsx';
import { SecretOnce } from '../../components/secret-once.tsx';
import { formatAgo, formatTime } from '../../lib/format.ts';
import { isAdmin, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { SelectField } from './select-field.tsx';
import './settings.css';

const ACCESS = ['read', 'write'] as const;
const EXPIRY = ['never', '7d', '30d', '90d', '365d'] as const;

function CreateTokenForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [access, setAccess] = useState<(typeof ACCESS)[number]>('read');
  const [expires, setExpires] = useState<(typeof EXPIRY)[number]>('90d');
  const [created, setCreated] = useState<CreatedToken | undefined>(undefined);
  const action = useAction();
  const { busy, error } = action;

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      const token = await api.post<CreatedToken>('/api/v1/tokens', {
        name,
        access,
        ...(expires === 'never' ? {} : { expires }),
      });
      setCreated(token);
      setName('');
      onCreated();
    });
  }

  return (
    <section class="card" aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">Create a token</h2>
      <form class="settings-form" onSubmit={(event) => void submit(event)}>
        <TextField
          id="token-name"
          label="Name"
          value={name}
          onInput={setName}
          error={error instanceof ApiError ? error.issueFor('name') : undefined}
          autoComplete="off"
          required
        />
        <SelectField
          id="token-access"
          label="Access"
          value={access}
          options={ACCESS}
          onChange={setAccess}
        />
        <SelectField
          id="token-expires"
          label="Expires after"
          value={expires}
          options={EXPIRY}
          onChange={setExpires}
        />
        <div class="form-actions">
          <button class="button primary" type="submit" disabled={busy}>
            Create token
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {created !== undefined && (
        <SecretOnce id="created-token" label={`Token “${created.name}”`} value={created.token} />
      )}
    </section>
  );
}

function status(token: TokenView, now: number): string {
  if (token.revokedAt !== null) return `revoked ${formatTime(token.revokedAt)}`;
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  return 'active';
}

/** Your API tokens (every user's for admins): create one (shown once), revoke. */
export function TokensPage() {
  const state = useStore(session);
  const admin = state.kind === 'signed-in' && isAdmin(state.user);
  const [all, setAll] = useState(false);
  const tokens = useResource(
    (signal) => api.get<Page<TokenView>>('/api/v1/tokens', all ? { all: true } : undefined, signal),
    [all],
  );
  const revoking = useAction();
  const error = revoking.error;
  const now = Date.now();

  async function revoke(id: string): Promise<void> {
    await revoking.run(() => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`));
    tokens.reload();
  }

  return (
    <section>
      <PageHeader
        title="API tokens"
        subtitle="For scripts and the CLI: send as Authorization: Bearer <token>"
        actions={
          admin && (
            <label>
              <input
                type="checkbox"
                checked={all}
                onChange={(event) => setAll(event.currentTarget.checked)}
              />{' '}
              Everyone’s tokens
            </label>
          )
        }
      />
      <ErrorNote error={tokens.error ?? error} />
      <CreateTokenForm onCreated={tokens.reload} />
      {tokens.data === undefined ? (
        tokens.loading && <Loading />
      ) : tokens.data.items.length === 0 ? (
        <Empty>No tokens yet.</Empty>
      ) : (
        <TableWrap label="API tokens">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                {all && <th scope="col">User</th>}
                <th scope="col">Access</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => (
                <tr key={token.id} data-token={token.name}>
                  <th scope="row">{token.name}</th>
                  {all && <td>{token.userId}</td>}
                  <td>{token.access}</td>
                  <td>{formatTime(token.createdAt)}</td>
                  <td>{token.expiresAt === null ? 'never' : formatTime(token.expiresAt)}</td>
                  <td>{formatAgo(token.lastUsedAt)}</td>
                  <td>{status(token, now)}</td>
                  <td>
                    {token.revokedAt === null && (
                      <ConfirmButton
                        label="Revoke"
                        ariaLabel={`Revoke ${token.name}`}
                        question={`Revoke ${token.name}? It stops working at once.`}
                        onConfirm={() => revoke(token.id)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

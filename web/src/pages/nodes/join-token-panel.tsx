import { useState } from 'preact/hooks';
import type { JoinToken, Role } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import { ErrorNote } from '../../components/feedback.tsx';
import { SecretOnce } from '../../components/secret-once.tsx';
import { formatTime } from '../../lib/format.ts';
import { useAction } from '../../state/use-action.ts';

/** Admins make a single-use join token here; it is shown once, with the command to run. */
export function JoinTokenPanel() {
  const [expires, setExpires] = useState('1h');
  const [role, setRole] = useState<Role>('editor');
  const [created, setCreated] = useState<JoinToken | undefined>(undefined);
  const action = useAction();
  const { busy, error } = action;

  async function create(event: Event): Promise<void> {
    event.preventDefault();
    await action.run(async () =>
      setCreated(await api.post<JoinToken>('/api/v1/cluster/join-tokens', { expires, role })),
    );
  }

  return (
    <section class="card" aria-labelledby="join-heading">
      <h2 id="join-heading">Add a node</h2>
      <form class="toolbar" onSubmit={(event) => void create(event)}>
        <div class="field">
          <label for="join-expires">Valid for</label>
          <select
            id="join-expires"
            value={expires}
            onChange={(event) => setExpires(event.currentTarget.value)}
          >
            <option value="15m">15 minutes</option>
            <option value="1h">1 hour</option>
            <option value="1d">1 day</option>
            <option value="7d">7 days</option>
          </select>
        </div>
        <div class="field">
          <label for="join-role">Role of the node's CLI</label>
          <select
            id="join-role"
            value={role}
            onChange={(event) => setRole(event.currentTarget.value as Role)}
          >
            <option value="viewer">viewer</option>
            <option value="editor">editor</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button class="button primary" type="submit" disabled={busy}>
          Create join token
        </button>
      </form>
      <ErrorNote error={error} />
      {created !== undefined && (
        <>
          <SecretOnce
            id="join-token"
            label="Join token"
            value={created.token}
            note={`Single use, valid until ${formatTime(created.expiresAt)}. It is shown only this once.`}
          />
          <p>On the new node, run:</p>
          <SecretOnce
            id="join-command"
            label="Command"
            value={`crosscheck join ${created.token}`}
            note="Then start it with: crosscheck agent"
          />
        </>
      )}
    </section>
  );
}

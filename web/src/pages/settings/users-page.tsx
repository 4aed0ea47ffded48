import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api/client.ts';
import type { Page, Role, UserView } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { TextField } from '../../components/fields.tsx';
import { formatTime } from '../../lib/format.ts';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { SelectField } from './select-field.tsx';
import './settings.css';

const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

function AddUserForm({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const action = useAction();
  const { busy, error } = action;
  const issue = (field: string): string | undefined =>
    error instanceof ApiError ? error.issueFor(field) : undefined;

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      await api.post('/api/v1/users', { name, role, password });
      setName('');
      setPassword('');
      onAdded();
    });
  }

  return (
    <section class="card" aria-labelledby="add-user-heading">
      <h2 id="add-user-heading">Add a user</h2>
      <form class="settings-form" onSubmit={(event) => void submit(event)}>
        <TextField
          id="new-user-name"
          label="Name"
          value={name}
          onInput={setName}
          error={issue('name')}
          autoComplete="off"
          required
        />
        <SelectField
          id="new-user-role"
          label="Role"
          value={role}
          options={ROLES}
          onChange={setRole}
        />
        <TextField
          id="new-user-password"
          label="Initial password"
          type="password"
          value={password}
          onInput={setPassword}
          error={issue('password')}
          autoComplete="new-password"
          hint="At least 10 characters."
          required
        />
        <div class="form-actions">
          <button class="button primary" type="submit" disabled={busy}>
            Add user
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}

function UserRow(props: { user: UserView; onChanged: () => void; onError: (e: Error) => void }) {
  const { user } = props;
  const person = user.kind === 'person';
  async function act(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      props.onChanged();
    } catch (reason) {
      props.onError(asError(reason));
    }
  }
  const path = `/api/v1/users/${encodeURIComponent(user.id)}`;
  return (
    <tr data-user={user.name}>
      <th scope="row">{user.name}</th>
      <td>{user.kind}</td>
      <td>
        <label class="visually-hidden" for={`role-${user.id}`}>
          Role of {user.name}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          onChange={(event) =>
            void act(() => api.patch(path, { id: user.id, role: event.currentTarget.value }))
          }
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td>{user.totp ? 'on' : 'off'}</td>
      <td>{user.disabledAt === null ? 'active' : `disabled ${formatTime(user.disabledAt)}`}</td>
      <td>
        <div class="row-actions">
          <button
            type="button"
            class="button"
            aria-label={`${user.disabledAt === null ? 'Disable' : 'Enable'} ${user.name}`}
            onClick={() =>
              void act(() => api.patch(path, { id: user.id, disabled: user.disabledAt === null }))
            }
          >
            {user.disabledAt === null ? 'Disable' : 'Enable'}
          </button>
          {person ? (
            <ConfirmButton
              label="Delete"
              ariaLabel={`Delete ${user.name}`}
              question={`Delete ${user.name} with their tokens?`}
              onConfirm={() => act(() => api.delete(path))}
            />
          ) : (
            <button
              type="button"
              class="button danger"
              aria-label={`Delete ${user.name}`}
              onClick={() => void act(() => api.delete(path))}
            >
              Delete
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** Admins manage people: add, change role, disable, delete; the API's refusals are shown. */
export function UsersPage() {
  const users = useResource(
    (signal) => api.get<Page<UserView>>('/api/v1/users', undefined, signal),
    [],
  );
  const [error, setError] = useState<Error | undefined>(undefined);
  const changed = (): void => {
    setError(undefined);
    users.reload();
  };
  return (
    <section>
      <PageHeader title="Users" subtitle="People who can sign in, and the service users of nodes" />
      <ErrorNote error={users.error ?? error} />
      {users.data === undefined ? (
        users.loading && <Loading />
      ) : (
        <TableWrap label="Users">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Role</th>
                <th scope="col">TOTP</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  onChanged={changed}
                  onError={(reason) => {
                    // The row may show a choice the API refused: reload shows what is true.
                    setError(reason);
                    users.reload();
                  }}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <AddUserForm onAdded={changed} />
    </section>
  );
}

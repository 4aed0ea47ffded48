import { useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { IncidentUpdate, IncidentUpdateStatus } from '../../api/incident-types.ts';
import type { Page } from '../../api/types.ts';
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx';
import { When } from '../../components/when.tsx';
import { useResource } from '../../state/use-resource.ts';

const STATUSES: readonly IncidentUpdateStatus[] = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
];

const updatesPath = (id: string): string => `/api/v1/incidents/${encodeURIComponent(id)}/updates`;

/**
 * The incident's updates (public ones go to status pages) and notes, and for editors the form.
 * `live` counts the incident events seen on the stream: others' posts appear without a reload.
 */
export function IncidentUpdates(props: { incidentId: string; editor: boolean; live: number }) {
  const updates = useResource(
    (signal) => api.get<Page<IncidentUpdate>>(updatesPath(props.incidentId), undefined, signal),
    [props.incidentId, props.live],
  );
  return (
    <>
      <ErrorNote error={updates.error} />
      {updates.data === undefined ? (
        updates.loading && <Loading />
      ) : updates.data.items.length === 0 ? (
        <Empty>No updates or notes yet.</Empty>
      ) : (
        <ol class="incident-updates">
          {updates.data.items.map((update) => (
            <li key={update.id} data-update={update.public ? 'public' : 'note'}>
              <p class="update-head">
                <strong>{update.status}</strong> ·{' '}
                {update.public ? 'public update' : 'internal note'} · {update.author} ·{' '}
                <When at={update.createdAt} />
              </p>
              <p class="update-message">{update.message}</p>
            </li>
          ))}
        </ol>
      )}
      {props.editor && <UpdateForm incidentId={props.incidentId} onPosted={updates.reload} />}
    </>
  );
}

function UpdateForm(props: { incidentId: string; onPosted: () => void }) {
  const [status, setStatus] = useState<IncidentUpdateStatus>('investigating');
  const [message, setMessage] = useState('');
  const [isPublic, setPublic] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);

  const post = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post<IncidentUpdate>(updatesPath(props.incidentId), {
        status,
        message,
        public: isPublic,
      });
      setMessage('');
      props.onPosted();
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="update-form" onSubmit={(event) => void post(event)}>
      <div class="field">
        <label for="update-status">Status</label>
        <select
          id="update-status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as IncidentUpdateStatus)}
        >
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="update-message">Message</label>
        <textarea
          id="update-message"
          required
          rows={3}
          value={message}
          onInput={(e) => setMessage(e.currentTarget.value)}
        />
      </div>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={isPublic}
          onChange={(e) => setPublic(e.currentTarget.checked)}
        />{' '}
        Public (shown on status pages; unchecked: an internal note)
      </label>
      <div>
        <button type="submit" class="button primary" disabled={busy}>
          {isPublic ? 'Post update' : 'Add note'}
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type {
  AlertLogEntry,
  Incident,
  IncidentDetail,
  IncidentExplanation,
} from '../../api/incident-types.ts';
import type { Page } from '../../api/types.ts';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { TextField } from '../../components/fields.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatDuration, formatTime } from '../../lib/format.ts';
import { canEdit, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { useLiveTicks } from '../../state/use-live-ticks.ts';
import { useResource } from '../../state/use-resource.ts';
import { AlertLogTable, EvidenceTable, Explanation } from './incident-evidence.tsx';
import { IncidentUpdates } from './incident-updates.tsx';
import { BrowserEvidence } from './browser-evidence.tsx';
import { CauseGroupCard } from './cause-group.tsx';
import { When } from '../../components/when.tsx';
import { verdictText } from './incident-format.ts';
import './incidents.css';

const path = (id: string): string => `/api/v1/incidents/${encodeURIComponent(id)}`;

/** One incident: its verdict explained, the evidence, the alerts sent for it, acknowledgement. */
export function IncidentPage({ params }: { params: Record<string, string> }) {
  const id = params['id'] ?? '';
  const state = useStore(session);
  const editor = state.kind === 'signed-in' && canEdit(state.user);
  const detail = useResource(
    (signal) => api.get<IncidentDetail>(path(id), undefined, signal),
    [id],
  );
  const ticks = useLiveTicks({ monitor: [detail.data?.monitorId ?? ''] }, detail.data?.monitorId);
  useEffect(() => {
    if (ticks.incidents > 0) detail.reload();
  }, [ticks.incidents]);
  const explanation = useResource(
    (signal) => api.get<IncidentExplanation>(`${path(id)}/explain`, undefined, signal),
    [id, ticks.incidents],
  );
  const alerts = useResource(
    (signal) =>
      api.get<Page<AlertLogEntry>>('/api/v1/alerts', { incident: id, limit: 200 }, signal),
    [id, ticks.incidents],
  );

  const incident = detail.data;
  if (incident === undefined)
    return (
      <section>
        <ErrorNote error={detail.error} />
        {detail.loading && <Loading />}
      </section>
    );
  const monitorName = explanation.data?.monitor.name ?? incident.monitorId;

  return (
    <section class="incident-page">
      <PageHeader
        title={`Incident: ${monitorName}`}
        subtitle={`${verdictText(incident)} · started ${formatTime(incident.startedAt)}`}
      />
      <div class="incident-facts">
        <StateBadge state={incident.status} />
        <a href={`/monitors/${encodeURIComponent(incident.monitorId)}`}>Monitor {monitorName}</a>
        <span>
          Started <When at={incident.startedAt} />
        </span>
        {incident.endedAt !== null && (
          <span>
            Ended <When at={incident.endedAt} />
          </span>
        )}
        {incident.durationMs !== null && <span>Lasted {formatDuration(incident.durationMs)}</span>}
        {incident.maintenance !== null && <span>In maintenance: {incident.maintenance.name}</span>}
      </div>
      <p class="cause">Cause: {incident.cause}</p>
      {incident.causedBy !== null && (
        <p class="caused-by">
          Caused by{' '}
          <a href={`/incidents/${encodeURIComponent(incident.causedBy.incidentId)}`}>
            {incident.causedBy.monitorName}
          </a>
          , a monitor it depends on: that incident's page stands for this one.
        </p>
      )}
      {incident.groupId !== null && (
        <CauseGroupCard groupId={incident.groupId} live={ticks.incidents} />
      )}
      {incident.retraction !== null && <p>Retracted: {incident.retraction}</p>}
      <Acknowledgement incident={incident} editor={editor} onDone={detail.reload} />

      <section class="card" aria-labelledby="updates-title">
        <h2 id="updates-title">Updates and notes</h2>
        <IncidentUpdates incidentId={incident.id} editor={editor} live={ticks.incidents} />
      </section>

      <section class="card" aria-labelledby="why-title">
        <h2 id="why-title">Why this verdict</h2>
        <ErrorNote error={explanation.error} />
        {explanation.data === undefined ? (
          <Loading />
        ) : (
          <Explanation explanation={explanation.data} />
        )}
      </section>

      <section class="card" aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence</h2>
        <EvidenceTable rounds={incident.evidence} />
      </section>

      <BrowserEvidence incidentId={incident.id} live={ticks.incidents} />

      <section class="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alert log</h2>
        <ErrorNote error={alerts.error} />
        {alerts.data === undefined ? <Loading /> : <AlertLogTable entries={alerts.data.items} />}
      </section>
    </section>
  );
}

/** Who acknowledged it, or (for editors, while open) the button to do so with a note. */
function Acknowledgement(props: { incident: Incident; editor: boolean; onDone: () => void }) {
  const { incident } = props;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const ack = incident.acknowledgement;

  const acknowledge = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post<Incident>(
        `${path(incident.id)}/ack`,
        note.trim() === '' ? {} : { note: note.trim() },
      );
      props.onDone();
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="acknowledgement">
      {ack !== null ? (
        <p class="acknowledged" role="status">
          Acknowledged by <strong>{ack.by}</strong> <When at={ack.at} />
          {ack.note !== null && `: ${ack.note}`}
        </p>
      ) : (
        <p class="muted">Not acknowledged.</p>
      )}
      {props.editor && incident.status === 'open' && ack === null && (
        <form class="ack-form" onSubmit={(event) => void acknowledge(event)}>
          <TextField id="ack-note" label="Note (optional)" value={note} onInput={setNote} />
          <button type="submit" class="button primary" disabled={busy}>
            Acknowledge
          </button>
        </form>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

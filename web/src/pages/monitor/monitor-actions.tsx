import { useState } from 'preact/hooks';
import { DataTable } from '../../components/table-wrap.tsx';
import { api } from '../../api/client.ts';
import type { MonitorConfig, ProbeReport } from '../../api/monitor-types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorNote } from '../../components/feedback.tsx';
import { formatLatency } from '../../lib/format.ts';
import { navigate } from '../../state/router.ts';
import { showWarningsOf } from '../../state/managed-warnings.ts';

const monitorPath = (id: string): string => `/api/v1/monitors/${encodeURIComponent(id)}`;

/** The editor's buttons on a monitor page: edit, pause or resume, probe now, delete. */
export function MonitorActions(props: { monitor: MonitorConfig; onChanged: () => void }) {
  const { monitor } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [probe, setProbe] = useState<ProbeReport | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);

  const act = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    } finally {
      setBusy(false);
    }
  };

  const togglePause = (): Promise<void> =>
    act(async () => {
      await api.post(`${monitorPath(monitor.id)}/${monitor.paused ? 'resume' : 'pause'}`);
      props.onChanged();
    });

  const probeNow = (): Promise<void> =>
    act(async () => {
      setProbe(undefined);
      // By id: the daemon probes with the stored settings (this page only has them masked).
      setProbe(await api.post<ProbeReport>(`${monitorPath(monitor.id)}/probe`));
    });

  const remove = (): Promise<void> =>
    act(async () => {
      showWarningsOf(await api.delete(monitorPath(monitor.id)));
      setConfirming(false);
      navigate('/');
    });

  return (
    <div class="monitor-actions">
      <div class="actions">
        <a class="button" href={`/monitors/${encodeURIComponent(monitor.id)}/edit`}>
          Edit
        </a>
        <button type="button" class="button" disabled={busy} onClick={() => void togglePause()}>
          {monitor.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" class="button" disabled={busy} onClick={() => void probeNow()}>
          Probe now
        </button>
        <button type="button" class="button danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      <ErrorNote error={error} />
      {busy && probe === undefined && (
        <p class="muted" role="status">
          Working…
        </p>
      )}
      {probe !== undefined && <ProbeAnswers report={probe} onClose={() => setProbe(undefined)} />}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${monitor.name}?`}
        confirmLabel="Delete monitor"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>Its results, rounds and incidents go with it. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

/** What every node answered to "probe now", and the verdict in one line. */
function ProbeAnswers({ report, onClose }: { report: ProbeReport; onClose: () => void }) {
  return (
    <section class="card probe-answers" aria-labelledby="probe-title">
      <div class="section-head">
        <h2 id="probe-title">Probe: {report.verdict.line}</h2>
        <button type="button" class="button subtle" onClick={onClose}>
          Close
        </button>
      </div>
      <DataTable label="Probe answers" columns={['Node', 'Region', 'Answer', 'Latency', 'Message']}>
        {report.nodes.map((node) => (
          <tr key={node.nodeId} data-probe-node={node.name}>
            <th scope="row">{node.name}</th>
            <td>{node.region ?? '—'}</td>
            <td>{node.outcome}</td>
            <td>{formatLatency(node.evidence?.latencyMs ?? null)}</td>
            <td>{node.evidence?.message ?? node.error ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

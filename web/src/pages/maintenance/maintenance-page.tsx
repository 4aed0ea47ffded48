import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { api } from '../../api/client.ts';
import type { MaintenanceWindowView } from '../../api/forms-types.ts';
import type { NodeView } from '../../api/admin-types.ts';
import type { Page } from '../../api/types.ts';
import type { PickerChoice } from '../../components/search-picker.tsx';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { formatDuration, formatTime } from '../../lib/format.ts';
import { useResource } from '../../state/use-resource.ts';
import { useCanEdit } from '../../state/use-can-edit.ts';
import { MaintenanceForm } from './maintenance-form.tsx';
import type { MonitorChoice } from './maintenance-form.tsx';
import './maintenance.css';
import { showWarningsOf } from '../../state/managed-warnings.ts';

interface Loaded {
  windows: MaintenanceWindowView[];
  monitors: MonitorChoice[];
  nodes: PickerChoice[];
}

/** A node as the form's picker offers it: stored by name, found by name or region too. */
function nodeChoice(node: NodeView): PickerChoice {
  return {
    key: node.name,
    label: node.name,
    detail: `${node.region ?? 'no region'}, ${node.role}`,
  };
}

async function load(signal: AbortSignal): Promise<Loaded> {
  const [windows, monitors, nodes] = await Promise.all([
    api.get<Page<MaintenanceWindowView>>('/api/v1/maintenance', undefined, signal),
    api.get<Page<MonitorChoice>>('/api/v1/monitors', { limit: 500 }, signal),
    api.get<Page<NodeView>>('/api/v1/nodes', undefined, signal),
  ]);
  return { windows: windows.items, monitors: monitors.items, nodes: nodes.items.map(nodeChoice) };
}

function scheduleText(window: MaintenanceWindowView): string {
  const { schedule } = window;
  if (schedule.kind === 'once')
    return `once, ${formatTime(schedule.startsAt)} – ${formatTime(schedule.endsAt)}`;
  return `${schedule.cron} (${schedule.timezone}) for ${formatDuration(schedule.durationMs)}`;
}

function scopeText(window: MaintenanceWindowView, monitors: MonitorChoice[]): string {
  const names = window.scope.monitors.map(
    (id) => monitors.find((monitor) => monitor.id === id)?.name ?? id,
  );
  return [
    names.length > 0 ? `monitors: ${names.join(', ')}` : '',
    window.scope.groups.length > 0 ? `groups: ${window.scope.groups.join(', ')}` : '',
    window.scope.tags.length > 0 ? `tags: ${window.scope.tags.join(', ')}` : '',
    window.scope.nodes.length > 0 ? `nodes: ${window.scope.nodes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** `/maintenance`: windows with their state (active, next, over), create and delete. */
export function MaintenancePage() {
  const resource = useResource(load, []);
  const editor = useCanEdit();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<MaintenanceWindowView | undefined>(undefined);
  return (
    <>
      <PageHeader
        title="Maintenance"
        subtitle="Planned windows: checks keep running, alerts are held and uptime leaves them out."
        {...(editor && !creating && editing === undefined
          ? {
              actions: (
                <button class="button primary" onClick={() => setCreating(true)}>
                  New maintenance window
                </button>
              ),
            }
          : {})}
      />
      <ErrorNote error={resource.error} />
      {editor && creating && resource.data !== undefined && (
        <MaintenanceForm
          monitors={resource.data.monitors}
          nodes={resource.data.nodes}
          onDone={(created) => {
            setCreating(false);
            if (created) resource.reload();
          }}
        />
      )}
      {editor && editing !== undefined && resource.data !== undefined && (
        <MaintenanceForm
          key={editing.id}
          monitors={resource.data.monitors}
          nodes={resource.data.nodes}
          editing={editing}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) resource.reload();
          }}
        />
      )}
      {resource.data === undefined ? (
        resource.error === undefined && <Loading />
      ) : resource.data.windows.length === 0 ? (
        <Empty>No maintenance windows.</Empty>
      ) : (
        <TableWrap label="Maintenance windows">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Schedule</th>
                <th scope="col">Covers</th>
                {editor && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {resource.data.windows.map((window) => (
                <tr key={window.id} data-window={window.name}>
                  <td>
                    {window.name}
                    {window.reason !== null && <div class="muted">{window.reason}</div>}
                  </td>
                  <td>
                    <WindowState window={window} />
                  </td>
                  <td>{scheduleText(window)}</td>
                  <td>{scopeText(window, resource.data?.monitors ?? [])}</td>
                  {editor && (
                    <td>
                      <div class="row-actions">
                        <button
                          class="button"
                          disabled={creating}
                          onClick={() => setEditing(window)}
                        >
                          Edit<span class="visually-hidden"> {window.name}</span>
                        </button>
                        <DeleteWindow window={window} onDeleted={resource.reload} />
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

function WindowState({ window }: { window: MaintenanceWindowView }) {
  if (window.active && window.next !== null)
    return (
      <>
        <span class="state state-regional">active</span>
        <div class="muted">until {formatTime(window.next.end)}</div>
      </>
    );
  if (window.next !== null)
    return (
      <>
        <span class="state state-pending">upcoming</span>
        <div class="muted">from {formatTime(window.next.start)}</div>
      </>
    );
  return <span class="state state-paused">over</span>;
}

function DeleteWindow(props: { window: MaintenanceWindowView; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const remove = async (): Promise<void> => {
    try {
      showWarningsOf(
        await api.delete(`/api/v1/maintenance/${encodeURIComponent(props.window.id)}`),
      );
      props.onDeleted();
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    }
  };
  return (
    <>
      <button class="button danger" onClick={() => setConfirming(true)}>
        Delete<span class="visually-hidden"> {props.window.name}</span>
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Delete maintenance window ${props.window.name}?`}
        confirmLabel="Delete window"
        danger
        onConfirm={() => {
          setConfirming(false);
          void remove();
        }}
        onCancel={() => setConfirming(false)}
      >
        <p>Incidents opened in it keep naming it.</p>
      </ConfirmDialog>
      <ErrorNote error={error} />
    </>
  );
}

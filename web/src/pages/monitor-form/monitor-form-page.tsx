import { api } from '../../api/client.ts';
import type { CheckTypes, MonitorView, TargetView } from '../../api/forms-types.ts';
import type { MonitorChoice, NodeView } from '../../api/admin-types.ts';
import type { Page } from '../../api/types.ts';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { ManagedNotice } from '../../components/managed-notice.tsx';
import { useResource } from '../../state/use-resource.ts';
import { MonitorForm } from './monitor-form.tsx';
import './monitor-form.css';

interface Loaded {
  types: CheckTypes;
  targets: TargetView[];
  knownRegions: string[];
  monitors: MonitorChoice[];
  monitor: MonitorView | undefined;
}

async function load(id: string | undefined, signal: AbortSignal): Promise<Loaded> {
  const [types, targets, nodes, monitors, monitor] = await Promise.all([
    api.get<CheckTypes>('/api/v1/check-types', undefined, signal),
    api.get<Page<TargetView>>('/api/v1/alert-targets', undefined, signal),
    api.get<Page<NodeView>>('/api/v1/nodes', undefined, signal),
    // As the maintenance form does: the first 500 by name; a dependency beyond them shows by id.
    api.get<Page<MonitorChoice>>('/api/v1/monitors', { limit: 500 }, signal),
    id === undefined
      ? Promise.resolve(undefined)
      : api.get<MonitorView>(`/api/v1/monitors/${encodeURIComponent(id)}`, undefined, signal),
  ]);
  const regions = nodes.items.flatMap((node) => (node.region === null ? [] : [node.region]));
  return {
    types,
    targets: targets.items,
    knownRegions: [...new Set(regions)].sort(),
    monitors: monitors.items,
    monitor,
  };
}

/** `/monitors/new` and `/monitors/:id/edit`: the monitor form, generated from the check types. */
export function MonitorFormPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const resource = useResource((signal) => load(id, signal), [id]);
  const title = id === undefined ? 'New monitor' : 'Edit monitor';
  return (
    <>
      <PageHeader
        title={title}
        {...(resource.data?.monitor !== undefined ? { subtitle: resource.data.monitor.name } : {})}
      />
      <ErrorNote error={resource.error} />
      <ManagedNotice managedBy={resource.data?.monitor?.managedBy} />
      {resource.data === undefined ? (
        resource.error === undefined && <Loading />
      ) : (
        <MonitorForm
          key={id ?? 'new'}
          types={resource.data.types}
          targets={resource.data.targets}
          knownRegions={resource.data.knownRegions}
          monitors={resource.data.monitors}
          monitor={resource.data.monitor}
        />
      )}
    </>
  );
}

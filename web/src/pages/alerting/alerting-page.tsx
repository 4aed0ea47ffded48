import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { api } from '../../api/client.ts';
import type { AlertRule, CheckTypes, TargetView, TestSendResult } from '../../api/forms-types.ts';
import { asSchema } from '../../api/forms-types.ts';
import { fieldKindOf } from '../../components/schema-form/json-schema.ts';
import type { Page } from '../../api/types.ts';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { useCanEdit } from '../../state/use-can-edit.ts';
import { useResource } from '../../state/use-resource.ts';
import { RulesSection } from './rules-section.tsx';
import './alerting.css';
import { showWarningsOf } from '../../state/managed-warnings.ts';

interface Loaded {
  targets: TargetView[];
  rules: AlertRule[];
  events: string[];
}

/** The events a route can page for, as the monitor schema lists them (no list kept here). */
function routedEvents(types: CheckTypes): string[] {
  const alerts = asSchema(types.monitorFields).properties?.alerts?.items;
  const route = (alerts?.anyOf ?? []).find((option) => option.properties?.target !== undefined);
  const events = route?.properties?.events;
  if (events === undefined) return [];
  const field = fieldKindOf(events);
  return field.kind === 'choices' ? field.options : [];
}

async function load(signal: AbortSignal): Promise<Loaded> {
  const [targets, rules, types] = await Promise.all([
    api.get<Page<TargetView>>('/api/v1/alert-targets', undefined, signal),
    api.get<Page<AlertRule>>('/api/v1/alert-rules', undefined, signal),
    api.get<CheckTypes>('/api/v1/check-types', undefined, signal),
  ]);
  return { targets: targets.items, rules: rules.items, events: routedEvents(types) };
}

/** `/alerting`: alert targets (test, edit, delete) and the routing rules that use them. */
export function AlertingPage() {
  const resource = useResource(load, []);
  const editor = useCanEdit();
  return (
    <>
      <PageHeader
        title="Alerting"
        subtitle="Where alerts go: targets, and rules that route groups and tags to them."
        {...(editor
          ? {
              actions: (
                <a class="button primary" href="/alerting/targets/new">
                  New alert target
                </a>
              ),
            }
          : {})}
      />
      <ErrorNote error={resource.error} />
      {resource.data === undefined ? (
        resource.error === undefined && <Loading />
      ) : (
        <>
          <TargetsSection
            targets={resource.data.targets}
            editor={editor}
            reload={resource.reload}
          />
          <RulesSection
            rules={resource.data.rules}
            targets={resource.data.targets}
            events={resource.data.events}
            editor={editor}
            reload={resource.reload}
          />
        </>
      )}
    </>
  );
}

function TargetsSection(props: { targets: TargetView[]; editor: boolean; reload: () => void }) {
  return (
    <section aria-labelledby="targets-heading" class="alerting-section">
      <h2 id="targets-heading">Targets</h2>
      {props.targets.length === 0 ? (
        <Empty>No alert targets yet.</Empty>
      ) : (
        <TableWrap label="Alert targets">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Channel</th>
                {props.editor && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {props.targets.map((target) => (
                <TargetRow
                  key={target.name}
                  target={target}
                  editor={props.editor}
                  reload={props.reload}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

type RowState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'tested'; result: TestSendResult }
  | { kind: 'confirm-delete' }
  | { kind: 'failed'; error: Error };

function TargetRow(props: { target: TargetView; editor: boolean; reload: () => void }) {
  const { target } = props;
  const [state, setState] = useState<RowState>({ kind: 'idle' });
  const path = `/api/v1/alert-targets/${encodeURIComponent(target.name)}`;
  const run = async (action: () => Promise<void>): Promise<void> => {
    setState({ kind: 'busy' });
    try {
      await action();
    } catch (reason) {
      setState({
        kind: 'failed',
        error: reason instanceof Error ? reason : new Error(String(reason)),
      });
    }
  };
  const test = () =>
    run(async () =>
      setState({ kind: 'tested', result: await api.post<TestSendResult>(`${path}/test`) }),
    );
  const remove = () =>
    run(async () => {
      showWarningsOf(await api.delete(path));
      props.reload();
    });
  return (
    <tr data-target={target.name}>
      <td>
        {props.editor ? (
          <a href={`/alerting/targets/${encodeURIComponent(target.name)}`}>{target.name}</a>
        ) : (
          target.name
        )}
      </td>
      <td>{target.type}</td>
      {props.editor && (
        <td>
          <div class="row-actions">
            <button class="button" disabled={state.kind === 'busy'} onClick={() => void test()}>
              Test<span class="visually-hidden"> {target.name}</span>
            </button>
            <button
              class="button danger"
              disabled={state.kind === 'busy'}
              onClick={() => setState({ kind: 'confirm-delete' })}
            >
              Delete<span class="visually-hidden"> {target.name}</span>
            </button>
          </div>
          <RowOutcome state={state} />
          <ConfirmDialog
            open={state.kind === 'confirm-delete'}
            title={`Delete alert target ${target.name}?`}
            confirmLabel="Delete target"
            danger
            onConfirm={() => void remove()}
            onCancel={() => setState({ kind: 'idle' })}
          >
            <p>Monitors and rules that route to it must be changed first.</p>
          </ConfirmDialog>
        </td>
      )}
    </tr>
  );
}

function RowOutcome({ state }: { state: RowState }) {
  if (state.kind === 'failed') return <ErrorNote error={state.error} />;
  if (state.kind !== 'tested') return null;
  const { result } = state;
  const status = result.status !== null ? ` (HTTP ${result.status})` : '';
  return (
    <p class={result.ok ? 'test-result test-sent' : 'test-result test-failed'} role="status">
      <strong>{result.ok ? 'Sent' : 'Failed'}</strong>
      {status}: {result.ok ? result.answer : result.error}
    </p>
  );
}

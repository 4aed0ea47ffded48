import { useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { CheckTypeInfo, CheckTypes, MonitorView, TargetView } from '../../api/forms-types.ts';
import { asSchema } from '../../api/forms-types.ts';
import { ErrorNote } from '../../components/feedback.tsx';
import type { Draft, JsonSchema } from '../../components/schema-form/index.ts';
import {
  draftAccess,
  draftOf,
  FieldFrame,
  focusFirstInvalid,
  payloadOf,
  pickProperties,
  problemsOf,
  SchemaFields,
  useFieldErrors,
} from '../../components/schema-form/index.ts';
import { navigate } from '../../state/router.ts';
import type { RouteDraft, RouteField } from './alert-routes.tsx';
import {
  AlertRoutes,
  routeDrafts,
  routeExtrasSchema,
  routesPayload,
  routesProblems,
} from './alert-routes.tsx';
import { NodeSelection } from './node-selection.tsx';
import { DependencySelection } from './dependency-selection.tsx';
import type { MonitorChoice } from '../../api/admin-types.ts';
import { showWarningsOf } from '../../state/managed-warnings.ts';

/** Monitor fields this page lays out itself rather than through the generated fields. */
const OWN_FIELDS = new Set(['type', 'options', 'alerts', 'regionalAlerts', 'dependsOn']);
/** Generated fields this page draws its own way (regions chosen from the cluster's). */
const CUSTOM_LAYOUT = ['nodes'];
/** Shown first, above the type's options; the rest follow them. */
const IDENTITY_FIELDS = new Set(['name', 'target']);
const NO_SECRETS: ReadonlySet<string> = new Set();

/** One route list of the form: its schema, what the monitor had, and what is chosen now. */
function useRoutes(monitorFields: JsonSchema, field: RouteField, monitor: MonitorView | undefined) {
  const extras = useMemo(() => routeExtrasSchema(monitorFields, field), [monitorFields, field]);
  const initial = useMemo(() => routeDrafts(monitor?.[field] ?? [], extras), [monitor, extras]);
  const [routes, setRoutes] = useState<RouteDraft[]>(initial);
  const initialJson = JSON.stringify(routesPayload(initial, extras));
  const payload = routesPayload(routes, extras);
  return {
    field,
    extras,
    routes,
    setRoutes,
    payload,
    changed: JSON.stringify(payload) !== initialJson,
    /** Routes set from the CLI or config with an inline channel: shown, not edited here. */
    inline: (monitor?.[field].length ?? 0) - initial.length,
    problems: routesProblems(field, routes, extras),
  };
}

function optionsDraft(info: CheckTypeInfo, monitor: MonitorView | undefined): Draft {
  const secrets = new Set(info.secrets.map((secret) => secret.key));
  const same = monitor !== undefined && monitor.type === info.type;
  return draftOf(asSchema(info.optionsSchema), same ? monitor.options : undefined, secrets, same);
}

/**
 * The monitor form: a check type from the API, the common monitor fields from its JSON Schema,
 * the type's options from the type's schema, and the alert targets by name. Nothing here names
 * a check type, so a new one appears with no UI change.
 */
export function MonitorForm(props: {
  types: CheckTypes;
  targets: TargetView[];
  knownRegions: string[];
  /** Monitors it may depend on (the first page of them; see `DependencySelection`). */
  monitors: MonitorChoice[];
  monitor: MonitorView | undefined;
}) {
  const { monitor } = props;
  const editing = monitor !== undefined;
  const monitorFields = useMemo(() => asSchema(props.types.monitorFields), [props.types]);
  const fields = useMemo(
    () => pickProperties(monitorFields, (key) => !OWN_FIELDS.has(key)),
    [monitorFields],
  );
  const identity = useMemo(() => pickProperties(fields, (k) => IDENTITY_FIELDS.has(k)), [fields]);
  const rest = useMemo(() => pickProperties(fields, (k) => !IDENTITY_FIELDS.has(k)), [fields]);
  const [type, setType] = useState(monitor?.type ?? props.types.items[0]?.type ?? '');
  const info = props.types.items.find((item) => item.type === type);
  const optionsSchema: JsonSchema = info !== undefined ? asSchema(info.optionsSchema) : {};
  const secrets = useMemo(() => new Set(info?.secrets.map((s) => s.key) ?? []), [info]);
  const [common, setCommon] = useState<Draft>(() =>
    draftOf(fields, monitor === undefined ? undefined : { ...monitor }, NO_SECRETS, false),
  );
  const [options, setOptions] = useState<Draft>(() =>
    info !== undefined ? optionsDraft(info, monitor) : {},
  );
  const [dependsOn, setDependsOn] = useState<string[]>(() => monitor?.dependsOn ?? []);
  const alerts = useRoutes(monitorFields, 'alerts', monitor);
  const regionalAlerts = useRoutes(monitorFields, 'regionalAlerts', monitor);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const nodesSchema = rest.properties?.['nodes'] ?? {};
  const nodesDraft = draftAccess.asDraft(common['nodes']);

  const problems = {
    ...problemsOf(fields, common, ''),
    ...problemsOf(optionsSchema, options, 'options'),
    ...alerts.problems,
    ...regionalAlerts.problems,
  };
  const commonContext = useFieldErrors('monitor', NO_SECRETS, problems, error);
  const optionsContext = { ...commonContext, secrets };

  const chooseType = (next: string): void => {
    setType(next);
    const nextInfo = props.types.items.find((item) => item.type === next);
    if (nextInfo !== undefined) setOptions(optionsDraft(nextInfo, monitor));
  };

  const body = (): Record<string, unknown> => {
    const sameType = monitor?.type === type;
    // Route lists are sent only when edited: a list the API returned carries inline routes with
    // masked secrets, which sending back would overwrite.
    const routes = Object.fromEntries(
      [alerts, regionalAlerts]
        .filter((list) => !editing || list.changed)
        .map((list) => [list.field, list.payload]),
    );
    const dependencies =
      !editing || JSON.stringify(dependsOn) !== JSON.stringify(monitor.dependsOn)
        ? { dependsOn }
        : {};
    return {
      ...payloadOf(fields, common, editing ? 'replace' : 'create'),
      ...dependencies,
      type,
      options: payloadOf(optionsSchema, options, editing && sameType ? 'merge' : 'create'),
      ...routes,
    };
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    commonContext.submitted();
    if (!commonContext.valid) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const saved = editing
        ? await api.patch<MonitorView>(`/api/v1/monitors/${encodeURIComponent(monitor.id)}`, body())
        : await api.post<MonitorView>('/api/v1/monitors', body());
      showWarningsOf(saved);
      navigate(`/monitors/${encodeURIComponent(saved.id)}`);
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
      focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  };

  const typeHint = info?.description;
  const typeError = commonContext.errorFor('type');
  return (
    <form ref={formRef} class="monitor-form" noValidate onSubmit={(event) => void submit(event)}>
      <section class="card" aria-labelledby="monitor-check-heading">
        <h2 id="monitor-check-heading">Check</h2>
        <FieldFrame id="monitor-type" label="Check type" hint={typeHint} error={typeError} required>
          <select
            id="monitor-type"
            value={type}
            aria-describedby={typeHint !== undefined ? 'monitor-type-hint' : undefined}
            onChange={(event) => chooseType(event.currentTarget.value)}
          >
            {props.types.items.map((item) => (
              <option key={item.type} value={item.type}>
                {item.type}
              </option>
            ))}
          </select>
        </FieldFrame>
        <SchemaFields
          schema={identity}
          draft={common}
          path=""
          context={commonContext}
          onChange={(draft) => setCommon({ ...common, ...draft })}
        />
      </section>
      <section class="card" aria-labelledby="monitor-options-heading">
        <h2 id="monitor-options-heading">Options for {type}</h2>
        {Object.keys(optionsSchema.properties ?? {}).length === 0 ? (
          <p class="muted">This check type has no options.</p>
        ) : (
          <SchemaFields
            key={type}
            schema={optionsSchema}
            draft={options}
            path="options"
            context={optionsContext}
            onChange={setOptions}
          />
        )}
        {(info?.exclusiveOptions ?? []).map((keys) => (
          <p key={keys.join()} class="hint muted">
            Give one of: {keys.join(', ')}.
          </p>
        ))}
      </section>
      <section class="card" aria-labelledby="monitor-schedule-heading">
        <h2 id="monitor-schedule-heading">Schedule, thresholds and consensus</h2>
        <SchemaFields
          schema={rest}
          draft={common}
          path=""
          context={commonContext}
          omit={CUSTOM_LAYOUT}
          onChange={(draft) => setCommon({ ...common, ...draft })}
        />
      </section>
      <section class="card" aria-labelledby="monitor-nodes-heading">
        <h2 id="monitor-nodes-heading">Nodes</h2>
        <NodeSelection
          schema={nodesSchema}
          knownRegions={props.knownRegions}
          draft={nodesDraft}
          context={commonContext}
          onChange={(nodes) => setCommon({ ...common, nodes })}
        />
      </section>
      <section class="card" aria-labelledby="monitor-dependencies-heading">
        <h2 id="monitor-dependencies-heading">Dependencies</h2>
        <DependencySelection
          selfId={monitor?.id}
          monitors={props.monitors}
          chosen={dependsOn}
          hint={monitorFields.properties?.['dependsOn']?.description}
          context={commonContext}
          onChange={setDependsOn}
        />
      </section>
      <section class="card" aria-labelledby="monitor-alerts-heading">
        <h2 id="monitor-alerts-heading">Alerts</h2>
        {props.targets.length === 0 && alerts.routes.length + regionalAlerts.routes.length === 0 ? (
          <p class="muted">
            No alert targets yet: <a href="/alerting/targets/new">create one</a>.
          </p>
        ) : (
          [alerts, regionalAlerts].map((list) => (
            <AlertRoutes
              key={list.field}
              field={list.field}
              legend={list.field === 'alerts' ? 'Alert targets' : 'Regional alert targets'}
              settingsLegend={(target) =>
                list.field === 'alerts'
                  ? `How ${target} is paged`
                  : `How ${target} is paged for regional verdicts`
              }
              hint={monitorFields.properties?.[list.field]?.description}
              targets={props.targets}
              extras={list.extras}
              routes={list.routes}
              context={commonContext}
              onChange={list.setRoutes}
            />
          ))
        )}
        {alerts.inline + regionalAlerts.inline > 0 && (
          <p class="hint muted">
            This monitor also has {alerts.inline + regionalAlerts.inline} inline route(s) set from
            the CLI or config; changing a list above replaces its inline routes.
          </p>
        )}
      </section>
      <ErrorNote error={error} />
      <div class="form-actions">
        <button class="button primary" type="submit" disabled={busy}>
          {editing ? 'Save monitor' : 'Create monitor'}
        </button>
        <a class="button" href={editing ? `/monitors/${encodeURIComponent(monitor.id)}` : '/'}>
          Cancel
        </a>
      </div>
    </form>
  );
}

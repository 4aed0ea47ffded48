import { useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { CheckTypeInfo, CheckTypes, MonitorView, TargetView } from '../../api/forms-types.ts';
import { asSchema } from '../../api/forms-types.ts';
import { ErrorNote } from '../../components/feedback.tsx';
import type { Draft, JsonSchema } from '../../components/schema-form/index.ts';
import {
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

/** Monitor fields this page lays out itself rather than through the generated fields. */
const OWN_FIELDS = new Set(['type', 'options', 'alerts', 'regionalAlerts']);
/** Shown first, above the type's options; the rest follow them. */
const IDENTITY_FIELDS = new Set(['name', 'target']);
const NO_SECRETS: ReadonlySet<string> = new Set();

function namedTargets(monitor: MonitorView | undefined): string[] {
  return (monitor?.alerts ?? []).flatMap((route) =>
    'target' in route && typeof route.target === 'string' ? [route.target] : [],
  );
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
  monitor: MonitorView | undefined;
}) {
  const { monitor } = props;
  const editing = monitor !== undefined;
  const fields = useMemo(
    () => pickProperties(asSchema(props.types.monitorFields), (key) => !OWN_FIELDS.has(key)),
    [props.types],
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
  const initialTargets = useMemo(() => namedTargets(monitor), [monitor]);
  const [chosenTargets, setChosenTargets] = useState<string[]>(initialTargets);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const problems = {
    ...problemsOf(fields, common, ''),
    ...problemsOf(optionsSchema, options, 'options'),
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
    const alertsChanged = !editing || chosenTargets.join('\n') !== initialTargets.join('\n');
    return {
      ...payloadOf(fields, common, editing ? 'replace' : 'create'),
      type,
      options: payloadOf(optionsSchema, options, editing && sameType ? 'merge' : 'create'),
      ...(alertsChanged ? { alerts: chosenTargets.map((target) => ({ target })) } : {}),
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
        <h2 id="monitor-schedule-heading">Schedule, thresholds and nodes</h2>
        <SchemaFields
          schema={rest}
          draft={common}
          path=""
          context={commonContext}
          onChange={(draft) => setCommon({ ...common, ...draft })}
        />
      </section>
      <AlertTargetChoice
        targets={props.targets}
        chosen={chosenTargets}
        onChange={setChosenTargets}
        inlineRoutes={(monitor?.alerts.length ?? 0) - initialTargets.length}
      />
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

function AlertTargetChoice(props: {
  targets: TargetView[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  inlineRoutes: number;
}) {
  return (
    <section class="card" aria-labelledby="monitor-alerts-heading">
      <h2 id="monitor-alerts-heading">Alerts</h2>
      {props.targets.length === 0 ? (
        <p class="muted">
          No alert targets yet: <a href="/alerting/targets/new">create one</a>.
        </p>
      ) : (
        <fieldset class="field-group">
          <legend>Alert targets</legend>
          <div class="choices">
            {props.targets.map((target) => (
              <label key={target.name} class="choice">
                <input
                  type="checkbox"
                  checked={props.chosen.includes(target.name)}
                  onChange={(event) =>
                    props.onChange(
                      event.currentTarget.checked
                        ? [...props.chosen, target.name]
                        : props.chosen.filter((name) => name !== target.name),
                    )
                  }
                />{' '}
                {target.name} <span class="muted">({target.type})</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {props.inlineRoutes > 0 && (
        <p class="hint muted">
          This monitor also has {props.inlineRoutes} inline route(s) set from the CLI or config;
          changing the targets above replaces them.
        </p>
      )}
    </section>
  );
}

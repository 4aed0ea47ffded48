import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client.ts';
import { ErrorNote } from '../../components/feedback.tsx';
import { FieldFrame, focusFirstInvalid, ListInput } from '../../components/schema-form/index.ts';
import { pickerWords, SearchPicker } from '../../components/search-picker.tsx';
import type { PickerChoice } from '../../components/search-picker.tsx';
import type { MaintenanceWindowView } from '../../api/forms-types.ts';
import { ManagedNotice } from '../../components/managed-notice.tsx';
import { showWarningsOf } from '../../state/managed-warnings.ts';

export interface MonitorChoice {
  id: string;
  name: string;
}

type Kind = 'once' | 'recurring';

const NODE_WORDS = pickerWords('node');
type TextKey = 'name' | 'startsAt' | 'endsAt' | 'cron' | 'duration' | 'timezone' | 'reason';

/** A `datetime-local` value (the browser's zone) as the ISO time with offset the API takes. */
function isoOf(local: string): string | undefined {
  if (local === '') return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** Epoch ms as a `datetime-local` value in the browser's zone. */
function localOf(ms: number): string {
  const at = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A duration as the form shows it: whole hours or minutes, else milliseconds. */
function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return String(ms);
}

/** The form's values for a new window, or for the window being edited. */
function initialValues(window: MaintenanceWindowView | undefined): Values {
  const blank: Values = {
    name: '',
    kind: 'once',
    startsAt: '',
    endsAt: '',
    cron: '',
    duration: '2h',
    timezone: browserZone(),
    monitors: [],
    groups: [],
    tags: [],
    nodes: [],
    reason: '',
  };
  if (window === undefined) return blank;
  const { schedule, scope } = window;
  return {
    ...blank,
    name: window.name,
    kind: schedule.kind,
    ...(schedule.kind === 'once'
      ? { startsAt: localOf(schedule.startsAt), endsAt: localOf(schedule.endsAt) }
      : {
          cron: schedule.cron,
          duration: durationText(schedule.durationMs),
          timezone: schedule.timezone,
        }),
    monitors: scope.monitors,
    groups: scope.groups,
    tags: scope.tags,
    nodes: scope.nodes,
    reason: window.reason ?? '',
  };
}

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

interface Values {
  name: string;
  kind: Kind;
  startsAt: string;
  endsAt: string;
  cron: string;
  duration: string;
  timezone: string;
  monitors: string[];
  groups: string[];
  tags: string[];
  nodes: string[];
  reason: string;
}

/** What the form can tell before asking the server (which still checks cron and zone). */
function problemsOf(values: Values): Record<string, string> {
  const problems: Record<string, string> = {};
  if (values.name.trim() === '') problems.name = 'required';
  if (values.kind === 'once') {
    if (values.startsAt === '') problems.startsAt = 'required';
    if (values.endsAt === '') problems.endsAt = 'required';
    else if (values.startsAt !== '' && values.endsAt <= values.startsAt)
      problems.endsAt = 'must be after the start';
  } else {
    if (values.cron.trim() === '') problems.cron = 'required';
    if (values.duration.trim() === '') problems.durationMs = 'required';
  }
  const { monitors, groups, tags, nodes } = values;
  if (monitors.length + groups.length + tags.length + nodes.length === 0)
    problems.scope = 'choose at least one monitor, group, tag or node';
  return problems;
}

function bodyOf(values: Values): Record<string, unknown> {
  const schedule =
    values.kind === 'once'
      ? { startsAt: isoOf(values.startsAt), endsAt: isoOf(values.endsAt) }
      : {
          cron: values.cron.trim(),
          durationMs: /^\d+$/.test(values.duration.trim())
            ? Number(values.duration.trim())
            : values.duration.trim(),
          timezone: values.timezone.trim() === '' ? 'UTC' : values.timezone.trim(),
        };
  return {
    name: values.name.trim(),
    monitors: values.monitors,
    groups: values.groups,
    tags: values.tags,
    nodes: values.nodes,
    ...schedule,
    ...(values.reason.trim() !== '' ? { reason: values.reason.trim() } : {}),
  };
}

/**
 * Creates a maintenance window — one-off (start, end) or recurring (cron, duration, zone) — or,
 * given `editing`, changes that one. Nodes are picked by name (their node alerts are silenced).
 */
export function MaintenanceForm(props: {
  monitors: MonitorChoice[];
  nodes: PickerChoice[];
  editing?: MaintenanceWindowView;
  onDone: (saved: boolean) => void;
}) {
  const { editing } = props;
  const [values, setValues] = useState<Values>(() => initialValues(editing));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);
  const problems = problemsOf(values);
  const errorFor = (field: string, ...serverPaths: string[]): string | undefined =>
    ((submitted || touched.has(field)) && problems[field]) ||
    (error instanceof ApiError
      ? [field, ...serverPaths].map((path) => error.issueFor(path)).find(Boolean)
      : undefined);
  const set = (change: Partial<Values>) => setValues({ ...values, ...change });
  const touch = (field: string) => setTouched(new Set([...touched, field]));

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length > 0) return focusFirstInvalid(formRef.current);
    setError(undefined);
    try {
      if (editing === undefined) await api.post('/api/v1/maintenance', bodyOf(values));
      else
        showWarningsOf(
          await api.patch(`/api/v1/maintenance/${encodeURIComponent(editing.id)}`, {
            reason: null,
            ...bodyOf(values),
          }),
        );
      props.onDone(true);
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    }
  };

  const text = (
    field: TextKey,
    label: string,
    options: { type?: string; hint?: string; required?: boolean; server?: string[] } = {},
  ) => {
    const message = errorFor(field, ...(options.server ?? []));
    const id = `mw-${field}`;
    const described = [
      options.hint !== undefined ? `${id}-hint` : '',
      message !== undefined ? `${id}-error` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return (
      <FieldFrame
        id={id}
        label={label}
        hint={options.hint}
        error={message}
        required={options.required ?? false}
      >
        <input
          id={id}
          type={(options.type ?? 'text') as 'text'}
          value={values[field]}
          aria-invalid={message !== undefined}
          aria-describedby={described === '' ? undefined : described}
          onInput={(event) => set({ [field]: event.currentTarget.value })}
          onBlur={() => touch(field)}
        />
      </FieldFrame>
    );
  };

  const scopeError = errorFor('scope', 'scope.monitors', 'scope.nodes', 'nodes');
  return (
    <form
      ref={formRef}
      class="card maintenance-form"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h2>{editing === undefined ? 'New maintenance window' : `Edit ${editing.name}`}</h2>
      <ManagedNotice managedBy={editing?.managedBy} />
      {text('name', 'Name', { required: true })}
      <fieldset class="field-group">
        <legend>When</legend>
        <div class="choices">
          {(['once', 'recurring'] as const).map((kind) => (
            <label key={kind} class="choice">
              <input
                type="radio"
                name="mw-kind"
                value={kind}
                checked={values.kind === kind}
                onChange={() => set({ kind })}
              />{' '}
              {kind === 'once' ? 'One-off' : 'Recurring'}
            </label>
          ))}
        </div>
        {values.kind === 'once' ? (
          <div class="mw-grid">
            {text('startsAt', 'Starts', {
              type: 'datetime-local',
              required: true,
              server: ['schedule.startsAt'],
            })}
            {text('endsAt', 'Ends', {
              type: 'datetime-local',
              required: true,
              server: ['schedule.endsAt'],
            })}
          </div>
        ) : (
          <div class="mw-grid">
            {text('cron', 'Cron', {
              hint: 'minute hour day month weekday, e.g. 0 2 * * 0',
              required: true,
              server: ['schedule.cron'],
            })}
            {text('duration', 'Lasts', {
              hint: 'e.g. 90m or 2h',
              required: true,
              server: ['durationMs', 'schedule.durationMs'],
            })}
            {text('timezone', 'Time zone', {
              hint: 'IANA name, e.g. Europe/Berlin',
              server: ['schedule.timezone'],
            })}
          </div>
        )}
      </fieldset>
      <fieldset
        class={scopeError !== undefined ? 'field-group invalid' : 'field-group'}
        id="mw-scope"
      >
        <legend>Covers</legend>
        {props.monitors.length > 0 && (
          <div class="field">
            <label for="mw-monitors">Monitors</label>
            <select
              id="mw-monitors"
              multiple
              size={Math.min(6, props.monitors.length)}
              onChange={(event) =>
                set({
                  monitors: [...event.currentTarget.selectedOptions].map((option) => option.value),
                })
              }
            >
              {props.monitors.map((monitor) => (
                <option
                  key={monitor.id}
                  value={monitor.id}
                  selected={values.monitors.includes(monitor.id)}
                >
                  {monitor.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="mw-groups">Groups</label>
          <ListInput
            id="mw-groups"
            label="Groups"
            items={values.groups}
            describedBy={undefined}
            invalid={false}
            onChange={(groups) => set({ groups })}
            onBlur={() => touch('scope')}
          />
        </div>
        <div class="field">
          <label for="mw-tags">Tags</label>
          <ListInput
            id="mw-tags"
            label="Tags"
            items={values.tags}
            describedBy={undefined}
            invalid={false}
            onChange={(tags) => set({ tags })}
            onBlur={() => touch('scope')}
          />
        </div>
        <fieldset class="field-group" aria-describedby="mw-nodes-hint">
          <legend>Nodes</legend>
          <p class="hint muted" id="mw-nodes-hint">
            their node alerts (missing, impaired) are silenced
          </p>
          <SearchPicker
            id="mw-nodes"
            words={NODE_WORDS}
            chosen={values.nodes}
            choices={props.nodes}
            onChange={(nodes) => set({ nodes })}
            onBlur={() => touch('scope')}
          />
        </fieldset>
        {scopeError !== undefined && (
          <p class="error" role="alert">
            {scopeError}
          </p>
        )}
      </fieldset>
      {text('reason', 'Reason', { hint: 'shown on incidents and status pages' })}
      <ErrorNote error={error} />
      <div class="form-actions">
        <button class="button primary" type="submit">
          {editing === undefined ? 'Create window' : 'Save changes'}
        </button>
        <button class="button" type="button" onClick={() => props.onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client.ts';
import type { TargetView } from '../../api/forms-types.ts';
import { ErrorNote } from '../../components/feedback.tsx';
import { FieldFrame } from '../../components/schema-form/index.ts';

const MINUTE_MS = 60_000;

export function formatMinutes(ms: number | null): string {
  return ms === null ? '—' : `${Math.round(ms / MINUTE_MS)} min`;
}

/** Minutes as typed, to the API's milliseconds; empty means "not set". */
function minutesToMs(text: string): number | null {
  return text.trim() === '' ? null : Math.round(Number(text) * MINUTE_MS);
}

/** Adds a routing rule: where (default, a group, a tag), to which target, for which events. */
export function RuleForm(props: { targets: TargetView[]; events: string[]; onAdded: () => void }) {
  const [scope, setScope] = useState<'default' | 'group' | 'tag'>('group');
  const [value, setValue] = useState('');
  const [target, setTarget] = useState(props.targets[0]?.name ?? '');
  const [events, setEvents] = useState<string[]>([]);
  const [repeat, setRepeat] = useState('');
  const [escalate, setEscalate] = useState('');
  const [error, setError] = useState<Error | undefined>(undefined);
  const [missingValue, setMissingValue] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (scope !== 'default' && value.trim() === '') {
      setMissingValue(true);
      return;
    }
    setError(undefined);
    try {
      await api.post('/api/v1/alert-rules', {
        scope,
        ...(scope !== 'default' ? { value: value.trim() } : {}),
        target,
        events: events.length > 0 ? events : null,
        repeatEveryMs: minutesToMs(repeat),
        escalateAfterMs: minutesToMs(escalate),
      });
      setValue('');
      setEvents([]);
      props.onAdded();
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    }
  };

  const valueError =
    missingValue && value.trim() === ''
      ? 'required'
      : error instanceof ApiError
        ? error.issueFor('value')
        : undefined;
  return (
    <form class="card rule-form" noValidate onSubmit={(event) => void submit(event)}>
      <h3>Add a rule</h3>
      <div class="rule-grid">
        <FieldFrame id="rule-scope" label="Applies to" hint={undefined} error={undefined} required>
          <select
            id="rule-scope"
            value={scope}
            onChange={(event) => setScope(event.currentTarget.value as typeof scope)}
          >
            <option value="group">a group</option>
            <option value="tag">a tag</option>
            <option value="default">monitors with no route (default)</option>
          </select>
        </FieldFrame>
        {scope !== 'default' && (
          <FieldFrame
            id="rule-value"
            label={scope === 'group' ? 'Group' : 'Tag'}
            hint={undefined}
            error={valueError}
            required
          >
            <input
              id="rule-value"
              value={value}
              aria-invalid={valueError !== undefined}
              aria-describedby={valueError !== undefined ? 'rule-value-error' : undefined}
              onInput={(event) => setValue(event.currentTarget.value)}
              onBlur={() => setMissingValue(true)}
            />
          </FieldFrame>
        )}
        <FieldFrame id="rule-target" label="Target" hint={undefined} error={undefined} required>
          <select
            id="rule-target"
            value={target}
            onChange={(event) => setTarget(event.currentTarget.value)}
          >
            {props.targets.map((item) => (
              <option key={item.name} value={item.name}>
                {item.name}
              </option>
            ))}
          </select>
        </FieldFrame>
        <FieldFrame
          id="rule-repeat"
          label="Repeat every (minutes)"
          hint="while open and unacknowledged"
          error={undefined}
          required={false}
        >
          <input
            id="rule-repeat"
            type="number"
            min={1}
            value={repeat}
            aria-describedby="rule-repeat-hint"
            onInput={(event) => setRepeat(event.currentTarget.value)}
          />
        </FieldFrame>
        <FieldFrame
          id="rule-escalate"
          label="Escalate after (minutes)"
          hint="page only after this long open"
          error={undefined}
          required={false}
        >
          <input
            id="rule-escalate"
            type="number"
            min={1}
            value={escalate}
            aria-describedby="rule-escalate-hint"
            onInput={(event) => setEscalate(event.currentTarget.value)}
          />
        </FieldFrame>
      </div>
      {props.events.length > 0 && (
        <fieldset class="field-group">
          <legend>Events (none chosen: the defaults)</legend>
          <div class="choices">
            {props.events.map((name) => (
              <label key={name} class="choice">
                <input
                  type="checkbox"
                  checked={events.includes(name)}
                  onChange={(event) =>
                    setEvents(
                      event.currentTarget.checked
                        ? [...events, name]
                        : events.filter((other) => other !== name),
                    )
                  }
                />{' '}
                {name}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <ErrorNote error={error} />
      <div class="form-actions">
        <button class="button primary" type="submit">
          Add rule
        </button>
      </div>
    </form>
  );
}

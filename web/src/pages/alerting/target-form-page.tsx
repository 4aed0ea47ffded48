import { useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { ChannelInfo, TargetView } from '../../api/forms-types.ts';
import { asSchema } from '../../api/forms-types.ts';
import type { Page } from '../../api/types.ts';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import type { Draft, JsonSchema } from '../../components/schema-form/index.ts';
import {
  draftOf,
  FieldFrame,
  focusFirstInvalid,
  objectVariants,
  payloadOf,
  problemsOf,
  SchemaFields,
  useFieldErrors,
  variantLabel,
} from '../../components/schema-form/index.ts';
import { navigate } from '../../state/router.ts';
import { useResource } from '../../state/use-resource.ts';
import './alerting.css';
import { ManagedNotice } from '../../components/managed-notice.tsx';
import { showWarningsOf } from '../../state/managed-warnings.ts';

interface Loaded {
  channels: ChannelInfo[];
  target: TargetView | undefined;
}

async function load(name: string | undefined, signal: AbortSignal): Promise<Loaded> {
  const [channels, target] = await Promise.all([
    api.get<Page<ChannelInfo>>('/api/v1/alert-channels', undefined, signal),
    name === undefined
      ? Promise.resolve(undefined)
      : api.get<TargetView>(`/api/v1/alert-targets/${encodeURIComponent(name)}`, undefined, signal),
  ]);
  return { channels: channels.items, target };
}

/** `/alerting/targets/new` and `/alerting/targets/:name`: a target's channel and settings. */
export function TargetFormPage({ params }: { params: Record<string, string> }) {
  const name = params.name;
  const resource = useResource((signal) => load(name, signal), [name]);
  return (
    <>
      <PageHeader
        title={name === undefined ? 'New alert target' : `Alert target ${name}`}
        actions={
          <a class="button" href="/alerting">
            Back to alerting
          </a>
        }
      />
      <ErrorNote error={resource.error} />
      <ManagedNotice managedBy={resource.data?.target?.managedBy} />
      {resource.data === undefined ? (
        resource.error === undefined && <Loading />
      ) : (
        <TargetForm
          key={name ?? 'new'}
          channels={resource.data.channels}
          target={resource.data.target}
        />
      )}
    </>
  );
}

/** The variant of a union schema (Slack: webhook or bot token) a saved target's settings fit. */
function variantFor(variants: JsonSchema[], settings: Record<string, unknown> | undefined) {
  if (settings === undefined) return 0;
  const index = variants.findIndex((variant) =>
    (variant.required ?? []).every((key) => key in settings),
  );
  return Math.max(index, 0);
}

function TargetForm(props: { channels: ChannelInfo[]; target: TargetView | undefined }) {
  const { target } = props;
  const editing = target !== undefined;
  const [type, setType] = useState(target?.type ?? props.channels[0]?.type ?? '');
  const channel = props.channels.find((item) => item.type === type);
  const variants = useMemo(
    () => (channel !== undefined ? objectVariants(asSchema(channel.settingsSchema)) : [{}]),
    [channel],
  );
  const [variant, setVariant] = useState(() => variantFor(variants, target?.settings));
  const schema = variants[variant] ?? variants[0] ?? {};
  const secrets = useMemo(() => new Set(channel?.secrets ?? []), [channel]);
  const [name, setName] = useState(target?.name ?? '');
  const [settings, setSettings] = useState<Draft>(() =>
    draftOf(schema, target?.settings, secrets, editing),
  );
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const problems = problemsOf(schema, settings, 'settings');
  if (!editing && name.trim() === '') problems.name = 'required';
  const context = useFieldErrors('target', secrets, problems, error);

  const chooseType = (next: string): void => {
    setType(next);
    setVariant(0);
    const nextChannel = props.channels.find((item) => item.type === next);
    const first =
      nextChannel !== undefined ? objectVariants(asSchema(nextChannel.settingsSchema))[0] : {};
    setSettings(draftOf(first ?? {}, undefined, secrets, false));
    context.reset();
  };

  const chooseVariant = (index: number): void => {
    setVariant(index);
    setSettings(draftOf(variants[index] ?? {}, undefined, secrets, false));
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    context.submitted();
    if (!context.valid) return focusFirstInvalid(formRef.current);
    setBusy(true);
    setError(undefined);
    try {
      if (editing)
        showWarningsOf(
          await api.patch(`/api/v1/alert-targets/${encodeURIComponent(target.name)}`, {
            settings: payloadOf(schema, settings, 'merge'),
          }),
        );
      else
        await api.post('/api/v1/alert-targets', {
          name: name.trim(),
          type,
          settings: payloadOf(schema, settings, 'create'),
        });
      navigate('/alerting');
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
      focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  };

  const categories = [...new Set(props.channels.map((item) => item.category))];
  const nameError = context.errorFor('name');
  return (
    <form
      ref={formRef}
      class="card target-form"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      {!editing && (
        <FieldFrame
          id="target-name"
          label="Name"
          hint="letters, digits, . _ and -"
          error={nameError}
          required
        >
          <input
            id="target-name"
            value={name}
            required
            aria-invalid={nameError !== undefined}
            aria-describedby={`target-name-hint${nameError !== undefined ? ' target-name-error' : ''}`}
            onInput={(event) => setName(event.currentTarget.value)}
            onBlur={() => context.touch('name')}
          />
        </FieldFrame>
      )}
      <FieldFrame
        id="target-type"
        label="Channel"
        hint={channel?.description}
        error={context.errorFor('type')}
        required
      >
        <select
          id="target-type"
          value={type}
          disabled={editing}
          aria-describedby={channel !== undefined ? 'target-type-hint' : undefined}
          onChange={(event) => chooseType(event.currentTarget.value)}
        >
          {categories.map((category) => (
            <optgroup key={category} label={category}>
              {props.channels
                .filter((item) => item.category === category)
                .map((item) => (
                  <option key={item.type} value={item.type}>
                    {item.title}
                    {item.adminOnly ? ' (admins only)' : ''}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </FieldFrame>
      {variants.length > 1 && (
        <FieldFrame
          id="target-variant"
          label="Set up"
          hint={undefined}
          error={undefined}
          required={false}
        >
          <select
            id="target-variant"
            value={String(variant)}
            onChange={(event) => chooseVariant(Number(event.currentTarget.value))}
          >
            {variants.map((option, index) => (
              <option key={index} value={String(index)}>
                {variantLabel(option)}
              </option>
            ))}
          </select>
        </FieldFrame>
      )}
      <SchemaFields
        key={`${type}-${variant}`}
        schema={schema}
        draft={settings}
        path="settings"
        context={context}
        onChange={setSettings}
      />
      <ErrorNote error={error} />
      <div class="form-actions">
        <button class="button primary" type="submit" disabled={busy}>
          {editing ? 'Save target' : 'Create target'}
        </button>
        <a class="button" href="/alerting">
          Cancel
        </a>
      </div>
    </form>
  );
}

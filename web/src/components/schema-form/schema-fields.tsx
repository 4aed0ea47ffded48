import { CheckboxChoices, ListInput, MapInput } from './collection-inputs.tsx';
import type { Draft, DraftValue } from './draft.ts';
import { KeptSecret, draftAccess } from './draft.ts';
import { describedBy, FieldFrame } from './field-frame.tsx';
import type { JsonSchema } from './json-schema.ts';
import { fieldKindOf, isSecret, labelOf } from './json-schema.ts';

/** What every field needs from its form: where its errors come from and where edits go. */
export interface FieldContext {
  /** Prefix of element ids, so two forms on a page never share one. */
  idPrefix: string;
  secrets: ReadonlySet<string>;
  /** The message to show under a field (schema problem once touched, or the server's). */
  errorFor: (path: string) => string | undefined;
  touch: (path: string) => void;
}

function idOf(context: FieldContext, path: string): string {
  return `${context.idPrefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * The fields of an object schema, in the schema's order: the generated part of every form.
 * `omit` leaves out properties the page renders itself.
 */
export function SchemaFields(props: {
  schema: JsonSchema;
  draft: Draft;
  path: string;
  context: FieldContext;
  onChange: (draft: Draft) => void;
  omit?: readonly string[];
}) {
  const required = new Set(props.schema.required ?? []);
  const entries = Object.entries(props.schema.properties ?? {}).filter(
    ([key]) => props.omit?.includes(key) !== true,
  );
  return (
    <>
      {entries.map(([key, property]) => (
        <SchemaField
          key={key}
          name={key}
          schema={property}
          value={props.draft[key]}
          path={props.path === '' ? key : `${props.path}.${key}`}
          required={required.has(key)}
          context={props.context}
          onChange={(value) => props.onChange({ ...props.draft, [key]: value })}
        />
      ))}
    </>
  );
}

function SchemaField(props: {
  name: string;
  schema: JsonSchema;
  value: DraftValue | undefined;
  path: string;
  required: boolean;
  context: FieldContext;
  onChange: (value: DraftValue) => void;
}) {
  const { schema, context, path } = props;
  const id = idOf(context, path);
  const label = labelOf(props.name, schema);
  const hint = schema.description;
  const error = context.errorFor(path);
  const aria = describedBy(id, hint, error);
  const secret = isSecret(props.name, schema, context.secrets);
  const frame = { id, label, hint, error, required: props.required };
  const blur = () => context.touch(path);

  if (props.value instanceof KeptSecret)
    return (
      <FieldFrame {...frame} group>
        <p class="kept-secret">
          <span aria-hidden="true">••••</span> (unchanged)
        </p>
        <button type="button" class="button" onClick={() => props.onChange(secretReset(schema))}>
          Replace {label}
        </button>
      </FieldFrame>
    );

  const field = fieldKindOf(schema);
  switch (field.kind) {
    case 'object':
      return (
        <FieldFrame {...frame} group>
          <SchemaFields
            schema={field.schema}
            draft={draftAccess.asDraft(props.value)}
            path={path}
            context={context}
            onChange={props.onChange}
          />
        </FieldFrame>
      );
    case 'boolean':
      return (
        <div class="field field-check">
          <label for={id}>
            <input
              id={id}
              type="checkbox"
              checked={props.value === true}
              aria-describedby={aria}
              onChange={(event) => props.onChange(event.currentTarget.checked)}
            />{' '}
            {label}
          </label>
          {hint !== undefined && (
            <p class="hint" id={`${id}-hint`}>
              {hint}
            </p>
          )}
        </div>
      );
    case 'select':
      return (
        <FieldFrame {...frame}>
          <select
            id={id}
            value={draftAccess.asText(props.value)}
            aria-invalid={error !== undefined}
            aria-describedby={aria}
            onChange={(event) => props.onChange(event.currentTarget.value)}
            onBlur={blur}
          >
            <option value="">{props.required ? 'Choose…' : '(default)'}</option>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </FieldFrame>
      );
    case 'choices': {
      const chosen = draftAccess.asList(props.value);
      return (
        <FieldFrame {...frame} group>
          <CheckboxChoices options={field.options} chosen={chosen} onChange={props.onChange} />
        </FieldFrame>
      );
    }
    case 'list':
      return (
        <FieldFrame {...frame}>
          <ListInput
            id={id}
            label={label}
            items={draftAccess.asList(props.value)}
            describedBy={aria}
            invalid={error !== undefined}
            onChange={props.onChange}
            onBlur={blur}
          />
        </FieldFrame>
      );
    case 'map':
      return (
        <FieldFrame {...frame} group>
          <MapInput
            id={id}
            label={label}
            rows={draftAccess.asRows(props.value)}
            secret={secret}
            onChange={props.onChange}
            onBlur={blur}
          />
        </FieldFrame>
      );
    default: {
      const number = field.kind === 'number' ? field.schema : undefined;
      const type = secret ? 'password' : field.kind === 'number' ? 'number' : field.input;
      const multiline = !secret && number === undefined && /body|template|ca$/i.test(props.name);
      const common = {
        id,
        name: path,
        value: draftAccess.asText(props.value),
        required: props.required,
        'aria-invalid': error !== undefined,
        'aria-describedby': aria,
        onBlur: blur,
      };
      return (
        <FieldFrame {...frame}>
          {multiline ? (
            <textarea
              {...common}
              rows={4}
              onInput={(event) => props.onChange(event.currentTarget.value)}
            />
          ) : (
            <input
              {...common}
              // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- Preact types each input type as its own variant
              type={type as 'text'}
              autoComplete={secret ? 'new-password' : 'off'}
              min={number?.minimum ?? number?.exclusiveMinimum}
              max={number?.maximum}
              step={field.kind === 'number' && field.integer ? 1 : undefined}
              onInput={(event) => props.onChange(event.currentTarget.value)}
            />
          )}
        </FieldFrame>
      );
    }
  }
}

/** The empty value a replaced secret starts from, in its field's shape. */
function secretReset(schema: JsonSchema): DraftValue {
  const field = fieldKindOf(schema);
  if (field.kind === 'map' || field.kind === 'list') return [];
  return '';
}

/** A labelled input with its error under it, tied together for screen readers. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password' | 'number' | 'url' | 'email';
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'text' | 'email' | 'url';
  autoFocus?: boolean;
}) {
  const described = [
    props.hint !== undefined ? `${props.id}-hint` : '',
    props.error !== undefined ? `${props.id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error !== undefined ? 'field invalid' : 'field'}>
      <label for={props.id}>
        {props.label}
        {props.required === true && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={props.id}
        name={props.id}
        // Preact types each input `type` as its own variant and tsc needs the narrowing; the
        // linter resolves Preact's JSX types differently and calls it unnecessary.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        autoFocus={props.autoFocus}
        aria-invalid={props.error !== undefined}
        aria-describedby={described === '' ? undefined : described}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      {props.hint !== undefined && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error !== undefined && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

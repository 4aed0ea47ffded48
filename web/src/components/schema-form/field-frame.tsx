import type { ComponentChildren } from 'preact';

/** The ids that tie a control to its hint and error, for aria-describedby. */
export function describedBy(id: string, hint: string | undefined, error: string | undefined) {
  const ids = [hint !== undefined ? `${id}-hint` : '', error !== undefined ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return ids === '' ? undefined : ids;
}

/** Label, control, hint and error of one field, the same for every kind of control. */
export function FieldFrame(props: {
  id: string;
  label: string;
  hint: string | undefined;
  error: string | undefined;
  required: boolean;
  /** Groups of controls (lists, maps) label themselves with a fieldset legend instead. */
  group?: boolean;
  children: ComponentChildren;
}) {
  const className = props.error !== undefined ? 'field invalid' : 'field';
  const label = (
    <>
      {props.label}
      {props.required && (
        <>
          <span aria-hidden="true"> *</span>
          <span class="visually-hidden"> (required)</span>
        </>
      )}
    </>
  );
  const notes = (
    <>
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
    </>
  );
  if (props.group === true)
    return (
      <fieldset class={`${className} field-group`} id={props.id}>
        <legend>{label}</legend>
        {props.children}
        {notes}
      </fieldset>
    );
  return (
    <div class={className}>
      <label for={props.id}>{label}</label>
      {props.children}
      {notes}
    </div>
  );
}

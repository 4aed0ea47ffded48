import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { KeyValue } from './draft.ts';

/**
 * A list of short texts (tags, recipients): each shown with a remove button, new ones typed
 * and added with Enter, a comma or the Add button (or on leaving the box, so nothing typed is lost).
 */
export function ListInput(props: {
  id: string;
  label: string;
  items: string[];
  describedBy: string | undefined;
  invalid: boolean;
  onChange: (items: string[]) => void;
  onBlur: () => void;
}) {
  const [pending, setPending] = useState('');
  const add = (): void => {
    const parts = pending
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '' && !props.items.includes(part));
    setPending('');
    if (parts.length > 0) props.onChange([...props.items, ...parts]);
  };
  return (
    <div class="list-input">
      {props.items.length > 0 && (
        <ul class="chips" aria-label={`${props.label}: entries`}>
          {props.items.map((item) => (
            <li key={item} class="chip">
              <span>{item}</span>
              <button
                type="button"
                class="chip-remove"
                aria-label={`Remove ${item}`}
                onClick={() => props.onChange(props.items.filter((other) => other !== item))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="list-add">
        <input
          id={props.id}
          value={pending}
          aria-invalid={props.invalid}
          aria-describedby={props.describedBy}
          onInput={(event) => setPending(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ',') {
              event.preventDefault();
              add();
            }
          }}
          onBlur={() => {
            add();
            props.onBlur();
          }}
        />
        <button type="button" class="button" onClick={add}>
          Add<span class="visually-hidden"> to {props.label}</span>
        </button>
      </div>
    </div>
  );
}

/** Name/value rows (HTTP headers, labels, environment variables). */
export function MapInput(props: {
  id: string;
  label: string;
  rows: KeyValue[];
  secret: boolean;
  onChange: (rows: KeyValue[]) => void;
  onBlur: () => void;
}) {
  const update = (index: number, change: Partial<KeyValue>): void =>
    props.onChange(props.rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <div class="map-input">
      {props.rows.map((row, index) => (
        <div class="map-row" key={index}>
          <input
            aria-label={`${props.label} ${index + 1}: name`}
            value={row.key}
            onInput={(event) => update(index, { key: event.currentTarget.value })}
            onBlur={props.onBlur}
          />
          <input
            aria-label={`${props.label} ${index + 1}: value`}
            type={(props.secret ? 'password' : 'text') as 'text'}
            autoComplete="off"
            value={row.value}
            onInput={(event) => update(index, { value: event.currentTarget.value })}
            onBlur={props.onBlur}
          />
          <button
            type="button"
            class="button subtle"
            aria-label={`Remove ${props.label} ${index + 1}`}
            onClick={() => props.onChange(props.rows.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button"
        id={`${props.id}-add`}
        onClick={() => props.onChange([...props.rows, { key: '', value: '' }])}
      >
        Add row<span class="visually-hidden"> to {props.label}</span>
      </button>
    </div>
  );
}

/** A checkbox per option (enum lists, regions): the chosen ones, in the order they were ticked. */
export function CheckboxChoices(props: {
  options: readonly string[];
  chosen: readonly string[];
  name?: string;
  /** What a checkbox says, when more than the option itself. */
  labelOf?: (option: string) => ComponentChildren;
  onChange: (chosen: string[]) => void;
}) {
  return (
    <div class="choices">
      {props.options.map((option) => (
        <label key={option} class="choice">
          <input
            type="checkbox"
            name={props.name}
            value={option}
            checked={props.chosen.includes(option)}
            onChange={(event) =>
              props.onChange(
                event.currentTarget.checked
                  ? [...props.chosen, option]
                  : props.chosen.filter((other) => other !== option),
              )
            }
          />{' '}
          {props.labelOf?.(option) ?? option}
        </label>
      ))}
    </div>
  );
}

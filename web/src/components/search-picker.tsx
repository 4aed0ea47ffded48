import { useState } from 'preact/hooks';
import './search-picker.css';

/** One thing the picker can add: `key` is what the form stores, `label` what people read. */
export interface PickerChoice {
  key: string;
  label: string;
  /** Shown after the label and searched too (e.g. a node's region). */
  detail?: string | undefined;
}

/** What the picker says: list and field names, and its buttons' accessible names. */
export interface PickerWords {
  /** The chosen list's accessible name. */
  chosen: string;
  /** Shown when nothing is chosen. */
  none: string;
  /** The search field's label. */
  search: string;
  searchPlaceholder?: string | undefined;
  noMatch: string;
  add: (label: string) => string;
  remove: (label: string) => string;
}

/** The words for a picker of things called `noun`: `Add node edge-1`, `Chosen nodes`. */
export function pickerWords(noun: string): PickerWords {
  return {
    chosen: `Chosen ${noun}s`,
    none: `No ${noun}s chosen.`,
    search: `Find ${noun}s to add`,
    noMatch: `No other ${noun} matches.`,
    add: (label) => `Add ${noun} ${label}`,
    remove: (label) => `Remove ${noun} ${label}`,
  };
}

/** Shown at most: the search narrows a long list down. */
const MAX_RESULTS = 20;

/**
 * A set of chosen keys as removable chips, and a search over the choices to add more. Buttons
 * named after the thing they add or remove (`Add node edge-1`), not drag and drop, so screen
 * readers and the keyboard do it all. A chosen key no choice has any more (a node since removed) stays shown,
 * by its key, so an edit keeps it unless it is removed on purpose.
 */
export function SearchPicker(props: {
  id: string;
  words: PickerWords;
  chosen: readonly string[];
  choices: readonly PickerChoice[];
  onChange: (chosen: string[]) => void;
  onBlur?: () => void;
}) {
  const { id, words, chosen } = props;
  const [search, setSearch] = useState('');
  const byKey = new Map(props.choices.map((choice) => [choice.key, choice]));
  const needle = search.trim().toLowerCase();
  const results =
    needle === ''
      ? []
      : props.choices
          .filter((choice) => !chosen.includes(choice.key))
          .filter((choice) =>
            `${choice.label} ${choice.detail ?? ''}`.toLowerCase().includes(needle),
          )
          .slice(0, MAX_RESULTS);
  const searchId = `${id}-search`;
  return (
    <div class="search-picker" id={id}>
      {chosen.length === 0 ? (
        <p class="muted">{words.none}</p>
      ) : (
        <ul class="picker-chips" aria-label={words.chosen}>
          {chosen.map((key) => {
            const label = byKey.get(key)?.label ?? key;
            return (
              <li key={key} class="picker-chip">
                <span>{label}</span>
                <button
                  type="button"
                  class="button subtle"
                  aria-label={words.remove(label)}
                  onClick={() => props.onChange(chosen.filter((other) => other !== key))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div class="field">
        <label for={searchId}>{words.search}</label>
        <input
          id={searchId}
          type="search"
          value={search}
          autoComplete="off"
          placeholder={words.searchPlaceholder}
          onInput={(event) => setSearch(event.currentTarget.value)}
          onBlur={props.onBlur}
        />
      </div>
      {results.length > 0 && (
        <ul class="picker-results" aria-label={`Matching ${search}`}>
          {results.map((choice) => (
            <li key={choice.key}>
              <span>
                {choice.label}
                {choice.detail !== undefined && <span class="muted"> · {choice.detail}</span>}
              </span>
              <button
                type="button"
                class="button"
                aria-label={words.add(choice.label)}
                onClick={() => props.onChange([...chosen, choice.key])}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
      {needle !== '' && results.length === 0 && <p class="muted">{words.noMatch}</p>}
    </div>
  );
}

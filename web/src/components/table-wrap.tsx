import type { ComponentChildren } from 'preact';

/**
 * A wide table's own horizontal scroller (the page never scrolls sideways on a phone). It is a
 * labelled, focusable region so keyboard users can scroll it too.
 */
export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}

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

/** A scrollable table with column headers; the caller gives the body rows. */
export function DataTable(props: {
  label: string;
  class?: string;
  columns: readonly string[];
  children: ComponentChildren;
}) {
  return (
    <TableWrap label={props.label}>
      <table class={`table compact ${props.class ?? ''}`}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </TableWrap>
  );
}

/** A monitor's state as a coloured word: colour is never the only signal. */
export function StateBadge({ state }: { state: string }) {
  return <span class={`state state-${state}`}>{state}</span>;
}

import { useEffect } from 'preact/hooks';
import { subscribeLive } from '../../api/events.ts';

/** Reloads the caller's data whenever a node changes state (or the stream had a gap). */
export function useNodeEvents(reload: () => void): void {
  useEffect(() => subscribeLive({ types: ['node.state'] }, reload, reload), [reload]);
}

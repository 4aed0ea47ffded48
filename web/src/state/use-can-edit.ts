import { canEdit, session } from './session.ts';
import { useStore } from './store.ts';

/** Whether the signed-in user may change things (editor or admin): pages hide edit controls otherwise. */
export function useCanEdit(): boolean {
  const state = useStore(session);
  return state.kind === 'signed-in' && canEdit(state.user);
}

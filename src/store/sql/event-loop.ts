// Kept where the store's long jobs (prune, rollups) import it from.
export { yieldToEventLoop } from '../../lib/event-loop.ts';

import type { PatternAnswers, PatternTask } from '../pattern-evaluator.ts';

/** The pool's message to a worker: one task to run now. */
export interface WorkerRequest {
  id: number;
  task: PatternTask;
}

/** A worker's messages: loaded and listening; a task's answer; a task that threw. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'answer'; id: number; value: PatternAnswers[PatternTask['kind']] }
  | { type: 'failed'; id: number; reason: string };

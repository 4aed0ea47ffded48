import { jsonTextFailure } from '../http_json/body.ts';
import type { PatternAnswers, PatternTask } from '../pattern-evaluator.ts';

/** Runs one task to completion, however long it takes (the pool bounds it from outside). */
export type PatternTaskRunner = (task: PatternTask) => PatternAnswers[PatternTask['kind']];

/** Compiled regexes kept per worker: monitors repeat the same few patterns every run. */
const COMPILED_LIMIT = 500;

/** A task runner with its own cache of compiled regexes (one per worker thread). */
export function createPatternTaskRunner(): PatternTaskRunner {
  const compiled = new Map<string, RegExp>();
  function compile(source: string, flags: string): RegExp {
    const key = `${flags}/${source}`;
    let regex = compiled.get(key);
    if (regex === undefined) {
      if (compiled.size >= COMPILED_LIMIT) compiled.clear();
      regex = new RegExp(source, flags);
      compiled.set(key, regex);
    }
    return regex;
  }
  return (task) => {
    if (task.kind === 'regex') return compile(task.source, task.flags).test(task.text);
    return jsonTextFailure(task.body, task.truncated, task.assertions);
  };
}

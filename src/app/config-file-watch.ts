import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigIssue } from '../config-file/load.ts';
import { parseConfigText } from '../config-file/document.ts';
import { formatIssue, locateFieldIssues } from '../config-file/load.ts';
import { summarizePlan } from '../config-file/plan.ts';
import { AppError, isAppError } from '../lib/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigService } from '../config-file/config-service.ts';

/** `start --config`: the file, whether to prune, and the environment `${ENV}` reads. */
export interface ConfigFileOptions {
  file: string;
  prune: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ConfigFileWatchDeps extends ConfigFileOptions {
  apply: ConfigService['apply'];
  logger: Logger;
  /** Quiet time after the last change event before the file is read (editors write in steps). */
  debounceMs?: number;
}

export interface ConfigFileWatch {
  stop(): void;
}

type Outcome = { ok: true; summary: Record<string, number> } | { ok: false; issues: ConfigIssue[] };

/**
 * Applies the file now (any problem: AppError VALIDATION listing them all, so the node refuses
 * to start) and again whenever its content changes. A bad edit is logged with every problem and
 * the running config stays. The directory is watched, not the file: editors replace files by
 * renaming, which would end a watch on the file itself.
 */
export async function startConfigFileWatch(deps: ConfigFileWatchDeps): Promise<ConfigFileWatch> {
  const source = path.basename(deps.file);
  const log = deps.logger.child({ component: 'config-file', file: deps.file });
  let appliedHash = '';

  async function applyText(text: string): Promise<Outcome> {
    const { parsed, issues } = parseConfigText(deps.file, text, (name) => deps.env[name]);
    if (issues.length > 0) return { ok: false, issues };
    try {
      // The service checks the document entry by entry, in slices (the node keeps serving).
      const { plan: byKind } = await deps.apply(parsed.value ?? {}, {
        source,
        prune: deps.prune,
        dryRun: false,
      });
      const plan = summarizePlan(byKind);
      return {
        ok: true,
        summary: {
          created: plan.create.length,
          updated: plan.update.length,
          deleted: plan.delete.length,
          unchanged: plan.unchanged.length,
        },
      };
    } catch (error) {
      if (!isAppError(error) || error.code !== 'VALIDATION') throw error;
      return { ok: false, issues: locateFieldIssues(parsed, error.issues, 'document') };
    }
  }

  const first = fs.readFileSync(deps.file, 'utf8');
  const initial = await applyText(first);
  if (!initial.ok) {
    const lines = initial.issues.map(formatIssue);
    throw new AppError(
      'VALIDATION',
      `${deps.file}: ${lines.length} problem(s); not starting:\n${lines.join('\n')}`,
    );
  }
  appliedHash = hash(first);
  log.info(initial.summary, 'config file applied');

  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const reapply = async (): Promise<void> => {
    let text: string;
    try {
      text = fs.readFileSync(deps.file, 'utf8');
    } catch (error) {
      log.error({ err: error }, 'config file unreadable; the running config stays');
      return;
    }
    const contentHash = hash(text);
    if (contentHash === appliedHash) return;
    const outcome = await applyText(text);
    if (!outcome.ok) {
      for (const issue of outcome.issues)
        log.error(
          { line: issue.line, col: issue.col, path: issue.path },
          `config file problem: ${formatIssue(issue)}`,
        );
      log.error(
        { problems: outcome.issues.length },
        'config file not applied; the running config stays',
      );
      return;
    }
    appliedHash = contentHash;
    log.info(outcome.summary, 'config file applied');
  };
  const watcher = fs.watch(path.dirname(deps.file), (_event, name) => {
    if (name !== null && name !== source) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // One apply at a time, in order: a later edit waits for the earlier one.
      running = running
        .then(reapply)
        .catch((error: unknown) => log.error({ err: error }, 'config file apply failed'));
    }, deps.debounceMs ?? 300);
  });
  watcher.on('error', (error) => log.error({ err: error }, 'config file watch failed'));
  return {
    stop() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

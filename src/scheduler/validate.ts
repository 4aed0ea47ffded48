import { validationError } from '../lib/errors.ts';
import type { FieldIssue } from '../lib/errors.ts';
import type { SchedulerJob, SchedulerOptions } from './types.ts';

/** Throws a VALIDATION AppError listing every bad field of a job. */
export function assertValidJob(job: SchedulerJob): void {
  const issues: FieldIssue[] = [];
  if (typeof job.id !== 'string' || job.id === '')
    issues.push({ path: 'id', message: 'must be a non-empty string' });
  if (!Number.isSafeInteger(job.intervalMs) || job.intervalMs < 1) {
    issues.push({ path: 'intervalMs', message: 'must be a positive whole number of milliseconds' });
  }
  if (!Number.isFinite(job.timeoutMs) || job.timeoutMs < 0) {
    issues.push({ path: 'timeoutMs', message: 'must be a non-negative number of milliseconds' });
  }
  if (issues.length > 0) throw validationError(issues);
}

/** Throws a VALIDATION AppError listing every bad scheduler setting. */
export function assertValidOptions<J extends SchedulerJob>(options: SchedulerOptions<J>): void {
  const issues: FieldIssue[] = [];
  if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1) {
    issues.push({ path: 'concurrency', message: 'must be a positive whole number' });
  }
  if (options.stopTimeoutMs !== undefined && !(options.stopTimeoutMs >= 0)) {
    issues.push({ path: 'stopTimeoutMs', message: 'must be a non-negative number' });
  }
  if (issues.length > 0) throw validationError(issues);
}

import { defineOperation, need } from './kit.ts';
import { presentMonitor } from './present.ts';
import { bulkInputSchema, bulkOutputSchema } from './schemas/bulk.ts';
import { MAX_BULK_BODY_BYTES } from '../services/monitors/monitor-bulk.ts';

export const bulkMonitors = defineOperation({
  name: 'monitors.bulk',
  summary: 'Create and update many monitors in one transaction, with a result per item',
  description:
    'Each item is validated on its own: a bad item is reported in its result (code, message, ' +
    'issues by field) and the others are still written, all in one transaction. With ' +
    '`atomic: true` any failing item writes nothing. At most 5,000 items (16 MiB).',
  input: bulkInputSchema,
  output: bulkOutputSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: {
    method: 'POST',
    path: '/api/v1/monitors/bulk',
    bodyLimit: MAX_BULK_BODY_BYTES,
    // 5,000 items on a busy node take seconds; the CLI's default 30 s is for one-object calls.
    clientWaitMs: 120_000,
  },
  cli: ['monitor', 'bulk'],
  mcp: true,
  offline: false,
  async run({ services }, { items, atomic }) {
    const bulk = need(services.monitors.bulk, services.unavailableReason);
    const outcome = await bulk(items, { atomic: atomic ?? false });
    return {
      written: outcome.written,
      results: outcome.results.map((r) =>
        r.ok ? { ...r, monitor: presentMonitor(r.monitor) } : r,
      ),
    };
  },
});

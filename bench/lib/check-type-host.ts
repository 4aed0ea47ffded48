/**
 * Holds one check type's server for the check-types scenario, in a process of its own so that
 * the server's CPU time (this process and the daemons it starts) is read apart from the
 * check's. Prints one JSON line, `{ target, options }` or `{ unavailable }`, then serves until
 * SIGTERM (or until the bench that started it is gone, or a lifetime cap), stops its server by
 * pid and exits.
 *
 *   node bench/lib/check-type-host.ts --type redis     (or --type ceiling: the plain HTTP server)
 */
import { parseArgs } from 'node:util';
import { CHECK_TYPES } from '../../src/domain/check-type.ts';
import type { CheckType } from '../../src/checks/types.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { StartedTarget } from './check-type-servers.ts';
import { helloHandler, testPki, TYPE_SETUPS } from './check-type-servers.ts';

/** No scenario keeps a server longer; past this the host stops on its own. */
const LIFETIME_MS = 30 * 60_000;
const PARENT_POLL_MS = 1_000;

const { values } = parseArgs({ options: { type: { type: 'string' } } });
const type = values.type ?? '';

function isCheckType(name: string): name is CheckType {
  return (CHECK_TYPES as readonly string[]).includes(name);
}

async function start(): Promise<StartedTarget | { unavailable: string }> {
  if (type === 'ceiling') {
    const server = await startHttpServer(helloHandler);
    return { target: server.origin, options: {}, close: () => server.close() };
  }
  if (!isCheckType(type)) throw new Error(`check-type-host: unknown type ${type}`);
  const setup = TYPE_SETUPS[type];
  const unavailable = setup.unavailable?.();
  if (unavailable !== undefined) return { unavailable };
  return setup.start(await testPki());
}

const outcome = await start();
if ('unavailable' in outcome) {
  process.stdout.write(`${JSON.stringify({ unavailable: outcome.unavailable })}\n`);
  process.exit(0);
}
const started: StartedTarget = outcome;
const { target, options, detachedPids = [] } = started;
process.stdout.write(`${JSON.stringify({ target, options, detachedPids })}\n`);

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await started.close();
  } finally {
    process.exit(code);
  }
}
const parent = process.ppid;
const watch = setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    clearInterval(watch);
    void stop(1);
  }
}, PARENT_POLL_MS);
setTimeout(() => void stop(1), LIFETIME_MS).unref();
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));

// A webhook receiver inside a lab namespace. The coordinator sends alerts from its own namespace,
// where 127.0.0.1 is that namespace's loopback, so the receiver has to live there: this file is
// both the child (run with `node netns-webhooks.ts` inside the namespace: a real receiver from
// webhook-receiver.ts that prints one JSON line per request) and the parent side
// (startLabWebhooks) that reads those lines back as ReceivedRequest values.
//
// The child announces `{"port":N}` first, stops on SIGTERM/SIGINT, when its parent goes away,
// and after a maximum lifetime. It is a separate process, so killing the coordinator leaves it
// (and what it received) alone.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../src/lib/errors.ts';
import type { Lab, LabProcess } from './netns.ts';
import type { ReceivedRequest } from './webhook-receiver.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

const SCRIPT = path.join(import.meta.dirname, 'netns-webhooks.ts');
const READY_MS = 15_000;
const PARENT_POLL_MS = 1000;

/** The receiver as the test sees it. */
export interface LabWebhooks {
  process: LabProcess;
  port: number;
  /** `http://<address>:<port><path>`: 127.0.0.1 (the receiver's namespace only) or its lab address. */
  url(path: string): string;
  /** Every request so far, oldest first. */
  requests(): ReceivedRequest[];
  /** Requests whose path starts with `prefix`. */
  under(prefix: string): ReceivedRequest[];
}

/**
 * Starts the receiver inside `host`'s namespace (usually the coordinator's). With `onLabAddress`
 * it listens on the host's lab address instead of its loopback, so daemons in other namespaces
 * (several coordinators, whichever leads) can reach it; `url()` then names that address.
 */
export async function startLabWebhooks(
  lab: Lab,
  host: string,
  options: { onLabAddress?: boolean } = {},
): Promise<LabWebhooks> {
  const address = options.onLabAddress === true ? lab.host(host).address : '127.0.0.1';
  const child = lab.spawn(host, process.execPath, [SCRIPT, '--host', address]);
  const deadline = Date.now() + READY_MS;
  let port: number | undefined;
  while (port === undefined) {
    const [first] = child.stdout().split('\n');
    if (first && child.stdout().includes('\n')) {
      port = (JSON.parse(first) as { port: number }).port;
      break;
    }
    const exitCode = await Promise.race([child.exited, delay(50).then(() => 'running' as const)]);
    if (exitCode !== 'running' || Date.now() > deadline) {
      await child.kill('SIGKILL');
      throw new AppError(
        'UNAVAILABLE',
        `webhook receiver in ${host} did not start (${exitCode === 'running' ? 'timeout' : `exit ${exitCode}`}): ${child.stderr()}`,
      );
    }
  }
  const listening = port;
  const requests = (): ReceivedRequest[] => {
    const lines = child.stdout().split('\n');
    // The last piece is '' or a line still being written; the first is the announcement.
    lines.pop();
    return lines
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ReceivedRequest);
  };
  return {
    process: child,
    port: listening,
    url: (urlPath) => `http://${address}:${listening}${urlPath}`,
    requests,
    under: (prefix) => requests().filter((request) => request.path.startsWith(prefix)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'max-lifetime-ms': { type: 'string', default: '900000' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const receiver = await startWebhookReceiver({
    host: values.host,
    onRequest: (request) => process.stdout.write(`${JSON.stringify(request)}\n`),
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(parentWatch);
    clearTimeout(lifetime);
    void receiver.close().finally(() => process.exit(0));
  };
  // Reparenting means the process that started us died without cleaning up.
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parent) stop();
  }, PARENT_POLL_MS);
  const lifetime = setTimeout(stop, Number(values['max-lifetime-ms']));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ port: receiver.port })}\n`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `netns-webhooks: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderAnswer, ProviderRequest } from './channel-fixture.ts';

/** A local stand-in for a provider's API on 127.0.0.1, port 0, recording every request. */
export interface ProviderServer {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly requests: ProviderRequest[];
  /** The next request gets this answer instead of the provider's normal one. */
  answerNext(answer: ProviderAnswer): void;
  /** The next request is read but never answered (until `close()`). */
  hangNext(): void;
  close(): Promise<void>;
}

export interface ProviderBehaviour {
  /** Violations of the documented protocol; the server answers 400 naming them. */
  protocol(request: ProviderRequest): string[];
  accept?(request: ProviderRequest): ProviderAnswer;
}

/** Starts the local provider; it refuses protocol violations with a 400, as the real one would. */
export async function startProviderServer(behaviour: ProviderBehaviour): Promise<ProviderServer> {
  const requests: ProviderRequest[] = [];
  const planned: ({ kind: 'answer'; answer: ProviderAnswer } | { kind: 'hang' })[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://provider.local');
      const contentType = String(req.headers['content-type'] ?? '');
      const request: ProviderRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        json: parseJson(rawBody),
        form: contentType.startsWith('application/x-www-form-urlencoded')
          ? new URLSearchParams(rawBody)
          : undefined,
      };
      requests.push(request);
      const plan = planned.shift();
      if (plan?.kind === 'hang') {
        hanging.push(res);
        return;
      }
      if (plan?.kind === 'answer') return respond(res, plan.answer);
      const violations = behaviour.protocol(request);
      if (violations.length > 0) {
        return respond(res, { status: 400, body: { error: 'protocol violation', violations } });
      }
      respond(res, behaviour.accept?.(request) ?? { status: 200, body: {} });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    answerNext(answer) {
      planned.push({ kind: 'answer', answer });
    },
    hangNext() {
      planned.push({ kind: 'hang' });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(res: ServerResponse, answer: ProviderAnswer): void {
  const text =
    answer.body === undefined
      ? ''
      : typeof answer.body === 'string'
        ? answer.body
        : JSON.stringify(answer.body);
  const headers: Record<string, string> = { ...answer.headers };
  if (
    typeof answer.body === 'object' &&
    answer.body !== null &&
    headers['content-type'] === undefined
  ) {
    headers['content-type'] = 'application/json';
  }
  res.writeHead(answer.status, headers);
  res.end(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

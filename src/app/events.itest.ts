import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../cli/api-client.ts';
import type { HealthView } from '../services/health-service.ts';
import type { SseFrame } from '../cli/sse-reader.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { CrosscheckEvent } from '../services/events/event-types.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { localAuthHeaders } from '../../test/helpers/local-api.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { openSse } from '../../test/helpers/sse-client.ts';
import { joinCluster } from './cluster-setup.ts';
import type { SseConnection } from '../../test/helpers/sse-client.ts';

// A real coordinator: creating a monitor and its checks' results reach the event stream, and a
// dropped stream resumes with Last-Event-ID without losing or repeating anything.

const cluster = loopbackCluster({ graceCount: 5 });

type Stamped = CrosscheckEvent & { id: string };

function parse(frame: SseFrame): Stamped {
  return JSON.parse(frame.data) as Stamped;
}

/** Reads frames until one matches, returning everything read. */
async function until(stream: SseConnection, match: (e: Stamped) => boolean): Promise<Stamped[]> {
  const seen: Stamped[] = [];
  for (;;) {
    const [frame] = await stream.next(1, 10_000);
    if (frame === undefined) throw new Error(`stream ended after ${JSON.stringify(seen)}`);
    const event = parse(frame);
    seen.push(event);
    if (match(event)) return seen;
  }
}

describe('live events from a running coordinator', () => {
  let target: TestServer;
  let api: ApiClient;
  let auth: () => Record<string, string>;

  before(async () => {
    target = await startHttpServer((_req, res) => res.end('ok'));
    let dataDir: string;
    ({ dataDir, api } = await cluster.startCoordinator('coord', 'eu'));
    auth = () => localAuthHeaders(dataDir);
  });

  after(async () => {
    await cluster.cleanup();
    await target.close();
  });

  it('a new monitor and its results stream live, and a dropped stream resumes exactly', async () => {
    const url = `${api.baseUrl}/api/v1/events?group=shop&types=monitor.changed,result,monitor.state`;
    // The witness never drops: what it sees is what the resumed stream must see.
    const witness = await openSse(url, auth());
    const stream = await openSse(url, auth());
    const monitor = await api.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'front',
      type: 'http',
      target: `${target.origin}/`,
      group: 'shop',
      intervalMs: 1_000,
      timeoutMs: 500,
    });
    const first = await until(stream, (e) => e.type === 'result');
    assert.deepEqual(first[0], {
      id: first[0]?.id,
      type: 'monitor.changed',
      monitorId: monitor.id,
      group: 'shop',
      change: 'created',
      at: monitor.updatedAt,
    });
    const result = first.at(-1);
    assert.equal(result?.type === 'result' && result.monitorId, monitor.id);

    const lastSeen = result?.id ?? '';
    stream.drop();
    // Results keep coming while the dropped client is away: wait for two more.
    const witnessed = await until(witness, (e) => e.id === lastSeen);
    assert.deepEqual(witnessed, first);
    const during = [
      ...(await until(witness, (e) => e.type === 'result')),
      ...(await until(witness, (e) => e.type === 'result')),
    ];
    const resumed = await openSse(url, { ...auth(), 'last-event-id': lastSeen });
    const missed = await until(resumed, (e) => e.id === during.at(-1)?.id);
    assert.deepEqual(missed, during);
    assert.ok(missed.every((e) => 'monitorId' in e && e.monitorId === monitor.id));

    // The first status the results (or, on a loaded machine, a round) give it is a state event.
    const seen = [...first, ...during];
    if (!seen.some((e) => e.type === 'monitor.state'))
      seen.push(...(await until(witness, (e) => e.type === 'monitor.state')));
    const state = seen.find((e) => e.type === 'monitor.state');
    assert.equal(state?.type === 'monitor.state' && state.from, 'pending');
    resumed.drop();
    witness.drop();
  });

  it('an agent does not forward the stream over its peer channel: it says where to connect', async () => {
    const { token } = await api.request<{ token: string }>('POST', '/api/v1/cluster/join-tokens', {
      expires: '10m',
    });
    const agentDir = cluster.dir();
    await joinCluster({ dataDir: agentDir, token, name: 'us-1', region: 'us', labels: {} });
    const agent = (await cluster.run(agentDir)).api;
    await waitFor(
      async () => {
        const health = await agent.request<HealthView>('GET', '/api/v1/health');
        return health.cluster?.coordinator?.connected ? true : undefined;
      },
      10_000,
      () => 'agent connected',
    );
    const response = await fetch(`${agent.baseUrl}/api/v1/events`, {
      headers: localAuthHeaders(agentDir),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'UNAVAILABLE');
    assert.match(body.error.message, /coordinator/);
  });

  it('the served OpenAPI document describes the stream', async () => {
    const document = await api.request<{ paths: Record<string, unknown> }>(
      'GET',
      '/api/v1/openapi.json',
    );
    assert.ok(document.paths['/api/v1/events']);
  });

  it('a stream still open does not hold up the daemon stopping', async () => {
    const stream = await openSse(`${api.baseUrl}/api/v1/events`, auth());
    await cluster.cleanup();
    // Ends (with whatever was still queued) instead of timing out.
    await stream.rest(10_000);
  });
});

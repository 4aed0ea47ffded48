import fs from 'node:fs';
import { ApiClient } from '../../src/cli/api-client.ts';
import { dataDirPaths } from '../../src/config/data-dir.ts';
import { waitFor } from './cli.ts';

/** The data dir's token file: what the local CLI sends on every request. */
export function localApiToken(dataDir: string): string {
  return fs.readFileSync(dataDirPaths(dataDir).apiToken, 'utf8').trim();
}

/** An API client of a node, authenticated like the CLI on that machine. */
export function localApi(dataDir: string, apiUrl: string): ApiClient {
  return new ApiClient(apiUrl, localApiToken(dataDir));
}

/** Headers for a raw `fetch` to a node's API. */
export function localAuthHeaders(dataDir: string): Record<string, string> {
  return { authorization: `Bearer ${localApiToken(dataDir)}` };
}

/** A node's Prometheus metrics text, fetched with the client's token. */
export async function metricsText(api: ApiClient): Promise<string> {
  const response = await fetch(`${api.baseUrl}/metrics`, {
    headers: api.token === undefined ? {} : { authorization: `Bearer ${api.token}` },
  });
  if (!response.ok) throw new Error(`metrics answered HTTP ${response.status}`);
  return response.text();
}

/** The items of one page of a list operation (`{ items, nextCursor }`). */
export async function listItems<T>(api: ApiClient, path: string): Promise<T[]> {
  return (await api.request<{ items: T[] }>('GET', path)).items;
}

/** Waits until the coordinator's status list shows the monitor with this status. */
export async function waitForMonitorStatus(
  api: ApiClient,
  monitorId: string,
  status: string,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(
    async () => {
      const list = await listItems<{ id: string; status: string }>(api, '/api/v1/status');
      return list.find((m) => m.id === monitorId)?.status === status ? true : undefined;
    },
    timeoutMs,
    () => `monitor ${monitorId} ${status}`,
  );
}

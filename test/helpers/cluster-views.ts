// The JSON shapes the cluster netns tests read from the CLI (`node list/show`, `health`,
// `history`): only the fields the tests use, typed as the CLI prints them.

/** One row of `crosscheck node list --json` (the fields the tests read). */
export interface NodeView {
  id: string;
  name: string;
  role: string;
  region: string | null;
  labels: Record<string, string>;
  state: 'online' | 'grace' | 'missing';
  /** Epoch ms of the last message from the node; null before the first. */
  lastSeen: number | null;
  version: string | null;
  clockOffsetMs: number | null;
  checksPerSecond: number | null;
}

/** `crosscheck node show <id> --json`. */
export interface NodeDetail {
  node: NodeView;
  /** Membership transitions (the product lists them newest first). */
  events: { at: number; from: string | null; to: string }[];
}

/** The cluster part of `crosscheck health --json` on an agent. */
export interface ClusterHealth {
  cluster?: {
    role: string;
    coordinator?: { address: string; connected: boolean };
    outbox?: { backlog: number; dropped: number };
    resultsProduced?: number;
  };
}

/** One row of `crosscheck history --json`. */
export interface StoredResult {
  id: string;
  monitorId: string;
  nodeId: string;
  checkedAt: number;
  status: string;
}

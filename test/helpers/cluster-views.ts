// The JSON shapes the cluster netns tests read from the CLI (`node list/show`, `health`,
// `history`, `incidents`) and the API (rounds): only the fields the tests use, typed as printed.

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
  /** Epoch ms the node was judged impaired (its votes set aside); null while healthy. */
  impairedSince: number | null;
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

/** One row of `crosscheck incidents --json`. */
export interface IncidentView {
  id: string;
  monitorId: string;
  status: 'open' | 'resolved';
  verdict: 'down' | 'regional';
  regions: string[];
  startedAt: number;
  openedAt: number;
  endedAt: number | null;
  resolvedAt: number | null;
}

/** One node's vote in a round. */
export interface VoteView {
  nodeId: string;
  nodeName: string;
  region: string | null;
  outcome: 'fail' | 'ok' | 'abstain' | 'no-answer';
  message: string;
  latencyMs: number | null;
  late: boolean;
  setAside: string | null;
}

/** A decided confirmation round (`GET /api/v1/monitors/:id/rounds`, an incident's evidence). */
export interface RoundView {
  id: string;
  monitorId: string;
  incidentId: string | null;
  purpose: 'confirm' | 'recover' | 'recheck';
  triggeredBy: string;
  openedAt: number;
  decidedAt: number;
  verdict: 'down' | 'regional' | 'local' | 'up' | 'unknown';
  regions: string[];
  votes: VoteView[];
}

/** `crosscheck incidents show <id> --json`. */
export interface IncidentDetailView extends IncidentView {
  evidence: RoundView[];
}

/** A monitor's uptime with its per-region and per-node figures (`GET /api/v1/monitors/:id/uptime`). */
export interface UptimeView {
  uptime: number | null;
  downMs: number;
  regions: { region: string; nodes: number; downMs: number; uptime: number | null }[];
  nodes: {
    nodeId: string;
    name: string;
    region: string | null;
    checks: number;
    failures: number;
    errors: number;
    passing: number | null;
    localFailures: number;
  }[];
}

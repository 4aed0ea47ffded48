import { z } from 'zod';
import type {
  ClusterNode,
  LeaseHolder,
  MembershipState,
  NodeEvent,
  StoredJoinToken,
} from '../../domain/node.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseDuration } from '../../lib/duration.ts';
import { AppError, notFound, validationError } from '../../lib/errors.ts';
import type { KeyPairPem } from '../../cluster/pki/ca.ts';
import type { JoinRequest, JoinResponse } from '../../cluster/peer/join-protocol.ts';
import {
  encodeJoinToken,
  hashTokenSecret,
  newTokenCredentials,
  secretMatches,
} from '../../cluster/join-token.ts';
import { parseAlertRoute, redactAlertRoute } from '../../alerts/registry.ts';
import { isTargetRoute } from '../../domain/alert-target.ts';
import { alertRouteSchema } from '../../domain/monitor-schema.ts';
import type { AlertRoute } from '../../domain/monitor.ts';
import type { Store } from '../../store/types.ts';
import { zodIssues } from '../monitors/monitor-input.ts';
import type { CaKeyAsker } from './coordinator-enrolment.ts';
import { assertSharedDatabase, assertTokenFits, caKeyRefusal } from './coordinator-enrolment.ts';

/** A node as the API shows it: stored facts plus the live membership state and canaries. */
export type NodeView = Omit<ClusterNode, 'certSerial' | 'removedAt'> & {
  /** Its canaries as its last heartbeat reported them; null when unknown (not connected). */
  canaries: { total: number; failing: number } | null;
  /** Set on the coordinator holding the leader lease: its epoch and since when. */
  lease: { epoch: number; since: number } | null;
};

/** A round in which this node alone (below quorum) saw a monitor fail: its anomalies. */
export interface NodeAnomaly {
  roundId: string;
  monitorId: string;
  decidedAt: number;
  message: string;
}

/** Looked back on for a node's anomalies. */
const ANOMALY_WINDOW_MS = 86_400_000;

/** The rounds of the last day in which this node failed alone (a `local` verdict). */
export async function nodeAnomalies(
  store: Store,
  nodeId: string,
  now: number,
): Promise<NodeAnomaly[]> {
  const rounds = await store.listRounds({
    failingNode: nodeId,
    verdicts: ['local'],
    since: now - ANOMALY_WINDOW_MS,
    limit: 50,
  });
  return rounds.map((round) => ({
    roundId: round.id,
    monitorId: round.monitorId,
    decidedAt: round.decidedAt,
    message: round.votes.find((v) => v.nodeId === nodeId)?.message ?? '',
  }));
}

/** The cluster at a glance, for `status`. */
export interface ClusterOverview {
  coordinator: { id: string; name: string };
  nodes: Record<MembershipState, number> & { total: number };
  regions: { region: string | null; total: number; online: number }[];
}

export interface ClusterServiceDeps {
  store: Store;
  clock: Clock;
  ca: KeyPairPem;
  caFingerprint: string;
  self: { id: string; name: string };
  /** The address joining nodes dial (advertised or chosen); throws a clear error if none. */
  joinAddress(): string;
  /**
   * Every coordinator's advertised address, put in join tokens beside `joinAddress` so a new
   * node can find the leader (absent: tokens name only this coordinator).
   */
  coordinatorAddresses?(): Promise<string[]>;
  newId(prefix: 'node' | 'nev'): string;
  /** Stores inline node alert routes as targets and checks named ones exist (alert targets). */
  materializeRoutes?: (routes: readonly AlertRoute[], path: string) => Promise<AlertRoute[]>;
  /** Live state and last-seen from the membership tracker (fresher than the store). */
  live(nodeId: string): {
    state: MembershipState | undefined;
    lastSeen: number | null;
    canaries?: { total: number; failing: number } | undefined;
  };
  onEnrolled(node: ClusterNode): void;
  onRemoved(node: ClusterNode): Promise<void>;
  /** Who holds the leader lease now; absent (offline reads): nobody is shown leading. */
  leaseHolder?: () => Promise<LeaseHolder | null>;
  /**
   * Makes the enrolled node's service user with this role and returns its read-write operator
   * token (sent once, in the join answer); the node's CLI calls are authorized with it.
   */
  issueOperatorToken?(nodeId: string, role: 'viewer' | 'editor' | 'admin'): Promise<string>;
}

/** Cluster verbs: join tokens, enrolment, node list/show/remove, overview. */
export interface ClusterService {
  createJoinToken(input: unknown): Promise<{ token: string; tokenId: string; expiresAt: number }>;
  enrol(request: JoinRequest, remoteAddress: string): Promise<Extract<JoinResponse, { ok: true }>>;
  /**
   * The CA key (PEM) for a joining coordinator that proved itself with its new certificate over
   * mutual TLS; FORBIDDEN for anyone else. Never logged; sent only on that connection.
   */
  handOverCaKey(asker: CaKeyAsker): Promise<string>;
  listNodes(): Promise<NodeView[]>;
  /** One node with its membership/health history and its last day's local failures. */
  getNode(id: string): Promise<{ node: NodeView; events: NodeEvent[]; anomalies: NodeAnomaly[] }>;
  removeNode(id: string): Promise<NodeView>;
  overview(): Promise<ClusterOverview>;
  /** Where node alerts (missing, back online) go; secrets masked. */
  nodeAlertRoutes(): Promise<AlertRoute[]>;
  /** Replaces the node alert routes; body `{ alerts: [{ channel, settings }] }`. */
  setNodeAlertRoutes(input: unknown): Promise<AlertRoute[]>;
}

export const nodeAlertsInput = z
  .object({
    alerts: z.array(alertRouteSchema).max(20),
  })
  .strict();

const MIN_TOKEN_TTL_MS = 1_000;
const MAX_TOKEN_TTL_MS = 7 * 86_400_000;
const DEFAULT_TOKEN_TTL_MS = 3_600_000;

export const joinTokenInput = z
  .object({
    kind: z
      .enum(['agent', 'coordinator'])
      .default('agent')
      .describe(
        'what the token enrols: an agent (`crosscheck join`) or another coordinator on this PostgreSQL database (`crosscheck coordinator join`, which receives the CA key)',
      ),
    role: z
      .enum(['viewer', 'editor', 'admin'])
      .default('editor')
      .describe('role of the operator token the joining node gets for its CLI (default editor)'),
    expires: z
      .union([z.number().int(), z.string()])
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return DEFAULT_TOKEN_TTL_MS;
        const ms = typeof value === 'number' ? value : parseDuration(value);
        if (ms === undefined || ms < MIN_TOKEN_TTL_MS || ms > MAX_TOKEN_TTL_MS) {
          ctx.addIssue({ code: 'custom', message: 'expected a duration between 1s and 7d' });
          return z.NEVER;
        }
        return ms;
      }),
  })
  .strict();

/** Builds the cluster service (coordinator only). */
export function createClusterService(deps: ClusterServiceDeps): ClusterService {
  const { store, clock } = deps;

  function view(node: ClusterNode, holder: LeaseHolder | null): NodeView {
    const { certSerial, removedAt, ...rest } = node;
    const live = deps.live(node.id);
    return {
      ...rest,
      state: live.state ?? node.state,
      lastSeen: live.lastSeen ?? node.lastSeen,
      canaries: live.canaries ?? null,
      lease: holder?.nodeId === node.id ? { epoch: holder.epoch, since: holder.since } : null,
    };
  }

  async function leaseHolder(): Promise<LeaseHolder | null> {
    return (await deps.leaseHolder?.()) ?? null;
  }

  async function checkToken(request: JoinRequest): Promise<StoredJoinToken> {
    const token = await store.getJoinToken(request.tokenId);
    if (token === undefined || !secretMatches(request.secret, token.secretHash)) {
      throw new AppError(
        'UNAUTHORIZED',
        'the join token is not valid for this coordinator (forged, mistyped, or from another cluster)',
      );
    }
    if (token.usedAt !== null) {
      throw new AppError(
        'CONFLICT',
        `this join token has already been used (at ${new Date(token.usedAt).toISOString()}); create a new one with \`crosscheck join-token\``,
      );
    }
    if (clock.now() >= token.expiresAt) {
      throw new AppError(
        'UNAUTHORIZED',
        `this join token expired at ${new Date(token.expiresAt).toISOString()}; create a new one with \`crosscheck join-token\``,
      );
    }
    return token;
  }

  return {
    async createJoinToken(input) {
      const parsed = joinTokenInput.safeParse(input ?? {});
      if (!parsed.success) throw validationError(zodIssues(parsed.error));
      if (parsed.data.kind === 'coordinator') assertSharedDatabase(store.dialect);
      const address = deps.joinAddress();
      const coordinators = (await deps.coordinatorAddresses?.()) ?? [];
      const now = clock.now();
      const { tokenId, secret } = newTokenCredentials();
      const expiresAt = now + parsed.data.expires;
      await store.insertJoinToken({
        id: tokenId,
        secretHash: hashTokenSecret(secret),
        createdAt: now,
        expiresAt,
        usedAt: null,
        usedByNode: null,
        operatorRole: parsed.data.role,
        kind: parsed.data.kind,
      });
      const token = encodeJoinToken({
        address,
        tokenId,
        secret,
        caSha256: deps.caFingerprint,
        expiresAt,
        coordinators,
      });
      return { token, tokenId, expiresAt };
    },

    async enrol(request, remoteAddress) {
      const joinToken = await checkToken(request);
      const role = request.role ?? 'agent';
      assertTokenFits(joinToken.kind ?? 'agent', role);
      if (role === 'coordinator') assertSharedDatabase(store.dialect);
      const now = clock.now();
      const nodeId = deps.newId('node');
      // Certificate code is loaded on first enrolment, not by every coordinator at start.
      const { issueNodeCertificate } = await import('../../cluster/pki/issue.ts');
      const issued = await issueNodeCertificate({
        ca: deps.ca,
        csrPem: request.csrPem,
        nodeId,
        role,
        now: new Date(now),
      });
      const node: ClusterNode = {
        id: nodeId,
        name: request.name,
        role,
        region: request.region,
        labels: request.labels,
        version: request.version,
        certSerial: issued.serial,
        certNotAfter: issued.notAfter,
        enrolledAt: now,
        lastSeen: null,
        state: 'grace',
        stateSince: now,
        clockOffsetMs: null,
        checksPerSecond: null,
        outboxBacklog: null,
        remoteAddress,
        removedAt: null,
        impairedSince: null,
      };
      await store.enrolNode(request.tokenId, node);
      // A coordinator reads the database itself: its CLI needs no operator token of ours.
      const operatorToken =
        role === 'agent'
          ? await deps.issueOperatorToken?.(nodeId, joinToken.operatorRole ?? 'editor')
          : undefined;
      deps.onEnrolled(node);
      return {
        ok: true,
        nodeId,
        ...(operatorToken === undefined ? {} : { operatorToken }),
        certPem: issued.certPem,
        caCertPem: deps.ca.certPem,
        coordinatorName: deps.self.name,
      };
    },

    async handOverCaKey(asker) {
      const refusal = caKeyRefusal(await store.getNode(asker.nodeId), asker);
      if (refusal !== undefined)
        throw new AppError(
          'FORBIDDEN',
          `the CA key goes to enrolled coordinators only (${refusal})`,
        );
      return deps.ca.keyPem;
    },

    async listNodes() {
      const holder = await leaseHolder();
      return (await store.listNodes()).map((node) => view(node, holder));
    },

    async getNode(id) {
      const node = await store.getNode(id);
      if (node === undefined || node.removedAt !== null) throw notFound('node', id);
      const anomalies = await nodeAnomalies(store, id, clock.now());
      const holder = await leaseHolder();
      return {
        node: view(node, holder),
        events: await store.listNodeEvents(id, 100),
        anomalies,
      };
    },

    async removeNode(id) {
      // Another coordinator may remove this one; removing itself would cut the branch it sits on.
      if (id === deps.self.id)
        throw new AppError(
          'CONFLICT',
          'a coordinator cannot remove itself: stop it, then remove it from another coordinator',
        );
      const removed = await store.removeNode(id, clock.now(), deps.newId('nev'));
      await deps.onRemoved(removed);
      return view(removed, null);
    },

    async nodeAlertRoutes() {
      return (await store.nodeAlertRoutes()).map(redactAlertRoute);
    },

    async setNodeAlertRoutes(input) {
      const parsed = nodeAlertsInput.safeParse(input ?? {});
      if (!parsed.success) throw validationError(zodIssues(parsed.error));
      const checked = parsed.data.alerts.map((route, index) =>
        isTargetRoute(route)
          ? route
          : parseAlertRoute(route.channel, route.settings, `alerts[${index}]`),
      );
      const routes =
        deps.materializeRoutes === undefined
          ? checked
          : await deps.materializeRoutes(checked, 'alerts');
      await store.setNodeAlertRoutes(routes);
      return routes.map(redactAlertRoute);
    },

    async overview() {
      const holder = await leaseHolder();
      const nodes = (await store.listNodes()).map((node) => view(node, holder));
      const counts = { online: 0, grace: 0, missing: 0, total: nodes.length };
      const regions = new Map<string | null, { total: number; online: number }>();
      for (const node of nodes) {
        counts[node.state]++;
        const region = regions.get(node.region) ?? { total: 0, online: 0 };
        region.total++;
        if (node.state === 'online') region.online++;
        regions.set(node.region, region);
      }
      return {
        coordinator: deps.self,
        nodes: counts,
        regions: [...regions].map(([region, figures]) => ({ region, ...figures })),
      };
    },
  };
}

import type { Clock } from '../lib/clock.ts';
import type { AlertTargetService } from '../services/alert-targets/target-service.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import type { AlertLogService } from '../services/alert-log-service.ts';
import type { ClusterService } from '../services/cluster/cluster-service.ts';
import type { ConfigService } from '../config-file/config-service.ts';
import type { ClusterReads } from '../services/cluster/stored-cluster.ts';
import type { HealthService } from '../services/health-service.ts';
import type { IncidentService } from '../services/incident-service.ts';
import type { MaintenanceService } from '../services/maintenance-service.ts';
import type { MonitorService } from '../services/monitors/monitor-service.ts';
import type { ProbeService } from '../services/probe-service.ts';
import type { QueryService } from '../services/status-service.ts';
import type { IncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import type { StatusPageService } from '../services/status-pages/status-page-service.ts';

/**
 * The services operations call. Required ones exist in every process that serves operations
 * (the daemon and the CLI reading a store offline); optional ones only where they can work
 * (writes and cluster verbs need the running coordinator).
 */
export interface OperationServices {
  clock: Clock;
  queries: QueryService;
  health: HealthService;
  alerts: AlertLogService;
  /** Reads work offline; writes need the daemon (see `monitorWrites`). */
  monitors: Pick<MonitorService, 'get' | 'list'> & Partial<MonitorService>;
  /** Node reads work offline (from the store); the verbs need the running coordinator. */
  cluster: ClusterReads &
    Partial<Pick<ClusterService, 'removeNode' | 'createJoinToken' | 'setNodeAlertRoutes'>>;
  probe?: ProbeService;
  /** Users, tokens, TOTP: the running coordinator only. */
  auth?: AuthService;
  /** Alert targets and routing rules; need the running coordinator. */
  alertTargets?: AlertTargetService;
  /** Incident verbs (acknowledge); need the running coordinator. */
  incidents?: IncidentService;
  /** Maintenance windows: reads offline too (writes are `offline: false` operations). */
  maintenance?: MaintenanceService;
  /** Public status pages; need the running coordinator. */
  statusPages?: StatusPageService;
  /** Incident updates (public and internal notes); need the running coordinator. */
  incidentUpdates?: IncidentUpdateService;
  /** Config as code (apply, export); export works offline too. */
  config?: Pick<ConfigService, 'export'> & Partial<ConfigService>;
  /** Why writes and cluster verbs are unavailable here (the offline CLI says how to start). */
  unavailableReason: string;
}

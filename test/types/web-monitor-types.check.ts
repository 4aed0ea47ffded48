/**
 * Compile-time proof that the monitor and incident pages' declared API shapes
 * (web/src/api/monitor-types.ts, incident-types.ts) are what the operations return.
 */
import type { z } from 'zod';
import type * as Inc from '../../web/src/api/incident-types.ts';
import type * as Mon from '../../web/src/api/monitor-types.ts';
import type { alertLogEntrySchema } from '../../src/operations/schemas/alerts.ts';
import type { causeGroupSchema } from '../../src/operations/schemas/cause-groups.ts';
import type { incidentExplanationSchema } from '../../src/operations/schemas/explain.ts';
import type {
  incidentDetailSchema,
  incidentSchema,
  roundSchema,
} from '../../src/operations/schemas/incidents.ts';
import type { monitorSchema, monitorStatusSchema } from '../../src/operations/schemas/monitors.ts';
import type { probeReportSchema } from '../../src/operations/schemas/probe.ts';
import type {
  incidentListItemSchema,
  incidentUpdateSchema,
} from '../../src/operations/schemas/status-pages.ts';
import type { resultSchema } from '../../src/operations/schemas/results.ts';
import type { uptimeViewSchema } from '../../src/operations/schemas/uptime.ts';

/** True when an API value of type `Api` can be read as the dashboard's `Shape`. */
type Reads<Api, Shape> = [Api] extends [Shape] ? true : false;
type Assert<T extends true> = T;

export type Checks = [
  Assert<Reads<z.output<typeof monitorSchema>, Mon.MonitorConfig>>,
  Assert<Reads<z.output<typeof monitorStatusSchema>, Mon.MonitorStatusDetail>>,
  Assert<Reads<z.output<typeof resultSchema>, Mon.CheckResult>>,
  Assert<Reads<z.output<typeof uptimeViewSchema>, Mon.UptimeView>>,
  Assert<Reads<z.output<typeof roundSchema>, Mon.Round>>,
  Assert<Reads<z.output<typeof probeReportSchema>, Mon.ProbeReport>>,
  Assert<Reads<z.output<typeof incidentSchema>, Inc.Incident>>,
  Assert<Reads<z.output<typeof incidentListItemSchema>, Inc.IncidentListItem>>,
  Assert<Reads<z.output<typeof incidentDetailSchema>, Inc.IncidentDetail>>,
  Assert<Reads<z.output<typeof incidentExplanationSchema>, Inc.IncidentExplanation>>,
  Assert<Reads<z.output<typeof alertLogEntrySchema>, Inc.AlertLogEntry>>,
  Assert<Reads<z.output<typeof causeGroupSchema>, Inc.CauseGroup>>,
  Assert<Reads<z.output<typeof incidentUpdateSchema>, Inc.IncidentUpdate>>,
];

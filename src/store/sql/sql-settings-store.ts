import type { AlertRule, AlertTarget } from '../../domain/alert-target.ts';
import type { ApiToken, Session, User, UserPatch } from '../../domain/auth.ts';
import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import type { AlertRoute } from '../../domain/monitor.ts';
import type { IncidentUpdate, StatusPage } from '../../domain/status-page.ts';
import * as alertTargets from './alert-targets.ts';
import * as auth from './auth.ts';
import * as maintenance from './maintenance.ts';
import { META_KEYS, readMetaText, writeMetaText } from './meta.ts';
import { parseAlertRoutes } from './rows.ts';
import { SqlStoreBase } from './sql-store-base.ts';
import * as statusPages from './status-pages.ts';
import * as pushStates from './push-states.ts';
import type { PushState } from '../../domain/push-state.ts';

/**
 * The store's settings: people and their credentials (users, API tokens, sessions), alert
 * targets and routing rules, where node alerts go, maintenance windows, status pages and
 * incident updates, push monitors' last pings. Small, rarely
 * written rows, none of them part of the monitoring hot path.
 */
export abstract class SqlSettingsStore extends SqlStoreBase {
  savePushState(monitorId: string, state: PushState, at: number): Promise<void> {
    return this.write(() => pushStates.savePushState(this.db, monitorId, state, at));
  }

  listPushStates(): Promise<Map<string, PushState>> {
    return pushStates.listPushStates(this.reader);
  }

  insertAlertTarget(target: AlertTarget): Promise<void> {
    return this.write(() => alertTargets.insertTarget(this.db, target));
  }

  updateAlertTarget(target: AlertTarget): Promise<void> {
    return this.write(() => alertTargets.updateTarget(this.db, target));
  }

  getAlertTarget(name: string): Promise<AlertTarget | undefined> {
    return alertTargets.getTarget(this.reader, name);
  }

  listAlertTargets(): Promise<AlertTarget[]> {
    return alertTargets.listTargets(this.reader);
  }

  deleteAlertTarget(name: string): Promise<boolean> {
    return this.write(() => alertTargets.deleteTarget(this.db, name));
  }

  insertAlertRule(rule: AlertRule): Promise<void> {
    return this.write(() => alertTargets.insertRule(this.db, rule));
  }

  listAlertRules(): Promise<AlertRule[]> {
    return alertTargets.listRules(this.reader);
  }

  deleteAlertRule(id: string): Promise<boolean> {
    return this.write(() => alertTargets.deleteRule(this.db, id));
  }

  async nodeAlertRoutes(): Promise<AlertRoute[]> {
    const text = await readMetaText(this.reader, META_KEYS.nodeAlertRoutes);
    return text === undefined
      ? []
      : parseAlertRoutes(text, { table: 'meta', column: META_KEYS.nodeAlertRoutes });
  }

  setNodeAlertRoutes(routes: readonly AlertRoute[]): Promise<void> {
    return this.write(() =>
      writeMetaText(this.db, META_KEYS.nodeAlertRoutes, JSON.stringify(routes)),
    );
  }

  insertUser(user: User): Promise<void> {
    return this.write(() => auth.insertUser(this.db, user));
  }

  insertFirstAdmin(user: User): Promise<void> {
    return this.write(() => auth.insertFirstAdmin(this.db, user));
  }

  getUser(id: string): Promise<User | undefined> {
    return auth.getUser(this.reader, { id });
  }

  getUserByName(name: string): Promise<User | undefined> {
    return auth.getUser(this.reader, { name });
  }

  listUsers(): Promise<User[]> {
    return auth.listUsers(this.reader);
  }

  updateUser(id: string, patch: UserPatch): Promise<User> {
    return this.write(() => auth.updateUser(this.db, id, patch));
  }

  deleteUser(id: string): Promise<boolean> {
    return this.write(() => auth.deleteUser(this.db, id));
  }

  insertApiToken(token: ApiToken): Promise<void> {
    return this.write(() => auth.insertApiToken(this.db, token));
  }

  getApiToken(id: string): Promise<ApiToken | undefined> {
    return auth.getApiToken(this.reader, { id });
  }

  findApiToken(tokenHash: string): Promise<ApiToken | undefined> {
    return auth.getApiToken(this.reader, { tokenHash });
  }

  listApiTokens(filter: { userId?: string } = {}): Promise<ApiToken[]> {
    return auth.listApiTokens(this.reader, filter.userId);
  }

  revokeApiTokens(which: { id: string } | { userId: string }, at: number): Promise<number> {
    return this.write(() => auth.revokeApiTokens(this.db, which, at));
  }

  touchApiToken(id: string, at: number): Promise<void> {
    return this.write(() => auth.touchApiToken(this.db, id, at));
  }

  insertSession(session: Session): Promise<void> {
    return this.write(() => auth.insertSession(this.db, session));
  }

  getSession(idHash: string): Promise<Session | undefined> {
    return auth.getSession(this.reader, idHash);
  }

  touchSession(idHash: string, at: number): Promise<void> {
    return this.write(() => auth.touchSession(this.db, idHash, at));
  }

  deleteSessions(
    which: { idHash: string } | { userId: string } | { expiresBefore: number },
  ): Promise<number> {
    return this.write(() => auth.deleteSessions(this.db, which));
  }

  listMaintenanceWindows(): Promise<MaintenanceWindow[]> {
    return maintenance.listWindows(this.reader);
  }

  getMaintenanceWindow(id: string): Promise<MaintenanceWindow | undefined> {
    return maintenance.getWindow(this.reader, { id });
  }

  getMaintenanceWindowByName(name: string): Promise<MaintenanceWindow | undefined> {
    return maintenance.getWindow(this.reader, { name });
  }

  insertMaintenanceWindow(window: MaintenanceWindow): Promise<void> {
    return this.write(() => maintenance.insertWindow(this.db, window));
  }

  updateMaintenanceWindow(window: MaintenanceWindow): Promise<void> {
    return this.write(() => maintenance.updateWindow(this.db, window));
  }

  deleteMaintenanceWindow(id: string): Promise<boolean> {
    return this.write(() => maintenance.deleteWindow(this.db, id));
  }

  insertStatusPage(page: StatusPage): Promise<void> {
    return this.write(() => statusPages.insertPage(this.db, page));
  }

  updateStatusPage(page: StatusPage): Promise<void> {
    return this.write(() => statusPages.updatePage(this.db, page));
  }

  getStatusPage(id: string): Promise<StatusPage | undefined> {
    return statusPages.getPage(this.reader, { id });
  }

  getStatusPageBySlug(slug: string): Promise<StatusPage | undefined> {
    return statusPages.getPage(this.reader, { slug });
  }

  listStatusPages(): Promise<StatusPage[]> {
    return statusPages.listPages(this.reader);
  }

  deleteStatusPage(id: string): Promise<boolean> {
    return this.write(() => statusPages.deletePage(this.db, id));
  }

  insertIncidentUpdate(update: IncidentUpdate): Promise<void> {
    return this.write(() => statusPages.insertUpdate(this.db, update));
  }

  listIncidentUpdates(
    incidentIds: readonly string[],
    options: { publicOnly?: boolean } = {},
  ): Promise<IncidentUpdate[]> {
    return statusPages.listUpdates(this.reader, incidentIds, options.publicOnly ?? false);
  }
}

import type { IncidentUpdate, StatusPage } from '../domain/status-page.ts';

/** Status pages and incident updates: the part of the store contract status pages use. */
export interface StatusPageStore {
  /** CONFLICT when the id or slug is taken, or a custom domain belongs to another page. */
  insertStatusPage(page: StatusPage): Promise<void>;
  /** Replaces every field but `id` and `createdAt`; NOT_FOUND when absent, CONFLICT as insert. */
  updateStatusPage(page: StatusPage): Promise<void>;
  getStatusPage(id: string): Promise<StatusPage | undefined>;
  getStatusPageBySlug(slug: string): Promise<StatusPage | undefined>;
  /** Ordered by slug. */
  listStatusPages(): Promise<StatusPage[]>;
  /** False when absent. */
  deleteStatusPage(id: string): Promise<boolean>;

  /** CONFLICT when the id is taken; NOT_FOUND when the incident does not exist. */
  insertIncidentUpdate(update: IncidentUpdate): Promise<void>;
  /**
   * Updates of these incidents, oldest first (by `createdAt`, then id); only public ones when
   * `publicOnly`. Updates go with their incident when its monitor is deleted.
   */
  listIncidentUpdates(
    incidentIds: readonly string[],
    options?: { publicOnly?: boolean },
  ): Promise<IncidentUpdate[]>;
}

import type { StatusPageCreate } from '../services/status-pages/status-page-input.ts';

/** The page the public routes' tests serve: monitors m1 and m2, on a custom domain. */
export const ACME_PAGE: StatusPageCreate = {
  slug: 'acme',
  title: 'Acme',
  customDomains: ['status.acme.test'],
  groups: [{ name: 'Shop', monitorIds: ['m1', 'm2'] }],
  showRegions: false,
  showDetails: false,
  badgeMonitorIds: [],
};

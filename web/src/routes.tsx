import type { ComponentType } from 'preact';
import { AlertingPage } from './pages/alerting/alerting-page.tsx';
import { TargetFormPage } from './pages/alerting/target-form-page.tsx';
import { IncidentPage } from './pages/incidents/incident-page.tsx';
import { IncidentsPage } from './pages/incidents/incidents-page.tsx';
import { MaintenancePage } from './pages/maintenance/maintenance-page.tsx';
import { MonitorFormPage } from './pages/monitor-form/monitor-form-page.tsx';
import { MonitorPage } from './pages/monitor/monitor-page.tsx';
import { OverviewPage } from './pages/overview/overview.tsx';
import { NodeDetailPage } from './pages/nodes/node-detail.tsx';
import { NodesPage } from './pages/nodes/nodes-page.tsx';
import { AccountPage } from './pages/settings/account-page.tsx';
import { TokensPage } from './pages/settings/tokens-page.tsx';
import { UsersPage } from './pages/settings/users-page.tsx';
import { StatusPageEditor } from './pages/status-pages/status-page-editor.tsx';
import { StatusPagesPage } from './pages/status-pages/status-pages-list.tsx';

/** A page of the dashboard: its path pattern, component, and where it sits in the navigation. */
export interface Route {
  path: string;
  component: ComponentType<{ params: Record<string, string> }>;
  /** Shown in the side navigation under this label (pages without one are reached by links). */
  nav?: string;
  /** Hidden from users below this role (the API refuses them anyway). */
  role?: 'editor' | 'admin';
}

export const ROUTES: Route[] = [
  { path: '/', component: OverviewPage, nav: 'Monitors' },
  // Before `/monitors/:id`, which would otherwise take "new" for an id.
  { path: '/monitors/new', component: MonitorFormPage, role: 'editor' },
  { path: '/monitors/:id/edit', component: MonitorFormPage, role: 'editor' },
  { path: '/monitors/:id', component: MonitorPage },
  { path: '/incidents', component: IncidentsPage, nav: 'Incidents' },
  { path: '/incidents/:id', component: IncidentPage },
  { path: '/alerting', component: AlertingPage, nav: 'Alerting' },
  { path: '/alerting/targets/new', component: TargetFormPage, role: 'editor' },
  { path: '/alerting/targets/:name', component: TargetFormPage, role: 'editor' },
  { path: '/maintenance', component: MaintenancePage, nav: 'Maintenance' },
  { path: '/nodes', component: NodesPage, nav: 'Nodes' },
  { path: '/nodes/:id', component: NodeDetailPage },
  { path: '/status-pages', component: StatusPagesPage, nav: 'Status pages', role: 'editor' },
  { path: '/status-pages/new', component: StatusPageEditor, role: 'editor' },
  { path: '/status-pages/:id', component: StatusPageEditor, role: 'editor' },
  { path: '/settings/users', component: UsersPage, nav: 'Users', role: 'admin' },
  { path: '/settings/tokens', component: TokensPage, nav: 'API tokens' },
  { path: '/settings/account', component: AccountPage, nav: 'Account' },
];

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { UserView } from '../api/types.ts';
import type { Route } from '../routes.tsx';
import { location } from '../state/router.ts';
import { signOut } from '../state/session.ts';
import { useStore } from '../state/store.ts';
import { nextTheme, theme } from '../state/theme.ts';
import { ManagedWarnings } from './managed-notice.tsx';

const ROLE_RANK = { viewer: 0, editor: 1, admin: 2 } as const;

function visible(route: Route, user: UserView): boolean {
  return route.role === undefined || ROLE_RANK[user.role] >= ROLE_RANK[route.role];
}

function isCurrent(path: string, pathname: string): boolean {
  return path === '/'
    ? pathname === '/' || pathname.startsWith('/monitors')
    : pathname.startsWith(path);
}

/** The frame around every signed-in page: navigation, theme switch, who is signed in. */
export function Layout(props: { user: UserView; routes: Route[]; children: ComponentChildren }) {
  const url = useStore(location);
  const choice = useStore(theme);
  const [menuOpen, setMenuOpen] = useState(false);
  const nav = props.routes.filter((route) => route.nav !== undefined && visible(route, props.user));
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          class="icon-button menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="side-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">☰</span>
          <span class="visually-hidden">Menu</span>
        </button>
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width="22" height="22" />
          Crosscheck
        </a>
        <div class="topbar-end">
          <button
            class="icon-button"
            title={`Theme: ${choice} (click for ${nextTheme(choice)})`}
            onClick={() => theme.set(nextTheme(choice))}
          >
            <span aria-hidden="true">
              {choice === 'dark' ? '☾' : choice === 'light' ? '☀' : '◐'}
            </span>
            <span class="visually-hidden">Theme: {choice}</span>
          </button>
          <span class="who" title={`signed in as ${props.user.name}`}>
            {props.user.name} <span class="role">{props.user.role}</span>
          </span>
          <button class="button subtle" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="side-nav" class={menuOpen ? 'side-nav open' : 'side-nav'} aria-label="Main">
        <ul>
          {nav.map((route) => (
            <li key={route.path}>
              <a
                href={route.path}
                aria-current={isCurrent(route.path, url.pathname) ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                {route.nav}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <ManagedWarnings />
        {props.children}
      </main>
    </div>
  );
}

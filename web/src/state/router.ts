import { useEffect, useState } from 'preact/hooks';
import { createStore } from './store.ts';

/**
 * A history-API router: the daemon answers every dashboard path with index.html, so links are
 * real URLs that survive a reload and can be shared.
 */
export const location = createStore<URL>(new URL(window.location.href));

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.href === window.location.href) return;
  if (options.replace === true) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  location.set(url);
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => location.set(new URL(window.location.href)));

/** Plain left clicks on same-origin links navigate in place; modified clicks open new tabs. */
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.target instanceof Element ? event.target.closest('a') : null;
  if (target === null || target.target !== '' || target.hasAttribute('download')) return;
  const url = new URL(target.href, window.location.href);
  if (url.origin !== window.location.origin || !isDashboardPath(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

/** Paths the daemon serves itself (API, status pages, badges), which a full load must fetch. */
function isDashboardPath(pathname: string): boolean {
  return !/^\/(api|status|badge|metrics|mcp)(\/|$)/.test(pathname);
}

export interface Match {
  params: Record<string, string>;
}

/** Matches `/monitors/:id` style patterns; undefined when the path does not fit. */
export function matchPath(pattern: string, pathname: string): Match | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = have[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return { params };
}

/** The search parameters of the current URL, and a setter that keeps them in the URL. */
export function useSearchParams(): [URLSearchParams, (next: Record<string, string>) => void] {
  const [url, setUrl] = useState(location.get());
  useEffect(() => location.subscribe(setUrl), []);
  const set = (next: Record<string, string>): void => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value !== '') params.set(key, value);
    const query = params.toString();
    navigate(`${url.pathname}${query === '' ? '' : `?${query}`}`, { replace: true });
  };
  return [url.searchParams, set];
}

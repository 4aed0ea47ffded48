import { createStore } from './store.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'crosscheck.theme';

function stored(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export const theme = createStore<ThemeChoice>(stored());

/** `data-theme` on <html> overrides the system preference the stylesheet follows by default. */
function apply(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}

apply(theme.get());
theme.subscribe((choice) => {
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  apply(choice);
});

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system';
}

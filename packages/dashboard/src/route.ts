// The view and its selections live in the URL hash (#/browse?m=132047&y=2012&d=kyoiku), so a
// view can be bookmarked and shared, and the static server needs no fallback route.
import { useSyncExternalStore } from 'react';

export type Page = 'browse' | 'search' | 'compare' | 'summary' | 'live' | 'staff';
export const PAGES: Page[] = ['browse', 'search', 'compare', 'summary', 'live', 'staff'];

export interface Route {
  page: Page;
  params: URLSearchParams;
}

function read(): Route {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  const page = (PAGES as string[]).includes(path) ? (path as Page) : 'browse';
  return { page, params: new URLSearchParams(query) };
}

let current = read();
const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => {
  current = read();
  for (const listener of listeners) listener();
});

export function useRoute(): Route {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

export function href(page: Page, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return `#/${page}${text ? `?${text}` : ''}`;
}

export function navigate(page: Page, params: Record<string, string | number | undefined>): void {
  window.location.hash = href(page, params);
}

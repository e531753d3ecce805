import { useEffect, useState } from 'react';

/** A tiny history router: the app lives under /ui/, the daemon answers every /ui/* path with index.html. */
const BASE = '/ui';

export function currentRoute(): string {
  const p = window.location.pathname;
  return p.startsWith(BASE) ? p.slice(BASE.length) || '/' : '/';
}

export function navigate(route: string): void {
  const target = `${BASE}${route}`;
  if (window.location.pathname + window.location.search === target) return;
  window.history.pushState(null, '', target);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): { path: string; query: URLSearchParams } {
  const [, force] = useState(0);
  useEffect(() => {
    const on = (): void => force((n) => n + 1);
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return { path: currentRoute().split('?')[0]!, query: new URLSearchParams(window.location.search) };
}

export function href(route: string): string {
  return `${BASE}${route}`;
}

/** Click handler for in-app links that keeps ctrl/cmd-click opening a new tab. */
export function linkProps(route: string): { href: string; onClick: (e: React.MouseEvent) => void } {
  return {
    href: href(route),
    onClick: (e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(route);
    },
  };
}

import { useEffect, useState } from 'preact/hooks';

/** The views of the dashboard, as the URL's hash names them. */
export type Route =
  | { view: 'list'; query: URLSearchParams }
  | { view: 'workflow'; id: string; task?: string }
  | { view: 'new'; from?: string };

/**
 * Parses `#/`, `#/?status=failed`, `#/workflow/<id>`, `#/workflow/<id>/task/<taskId>`, `#/new`.
 * A hash router: the server serves one page at `/`, and every view has a link
 * a person can share or reload.
 */
export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts[0] === 'workflow' && parts[1]) return { view: 'workflow', id: parts[1], task: parts[2] === 'task' ? parts[3] : undefined };
  if (parts[0] === 'new') return { view: 'new', from: query.get('from') ?? undefined };
  return { view: 'list', query };
}

/** Builds the hash of a route (the inverse of {@link parseRoute}). */
export function href(route: Route): string {
  switch (route.view) {
    case 'workflow':
      return `#/workflow/${encodeURIComponent(route.id)}${route.task ? `/task/${encodeURIComponent(route.task)}` : ''}`;
    case 'new':
      return route.from ? `#/new?from=${encodeURIComponent(route.from)}` : '#/new';
    case 'list': {
      const q = route.query.toString();
      return q ? `#/?${q}` : '#/';
    }
  }
}

/** Goes to `route` (a new history entry, so Back works). */
export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

import { HealthBar } from './HealthBar.tsx';
import { href, type Route } from './useRoute.ts';

/** Props of {@link Header}. */
export interface HeaderProps {
  route: Route;
  /** Present when this tab holds an API key it can forget. */
  onForgetKey?: () => void;
}

/** Skip link, the app's name, its three places (list, new, API docs), the server's health. */
export function Header({ route, onForgetKey }: HeaderProps) {
  const current = (view: Route['view']) => (route.view === view ? 'page' : undefined);
  return (
    <header class="top">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <nav aria-label="Main">
        <a class="brand" href={href({ view: 'list', query: new URLSearchParams() })}>
          Flowstate
        </a>
        <a href={href({ view: 'list', query: new URLSearchParams() })} aria-current={current('list')}>
          Workflows
        </a>
        <a href={href({ view: 'new' })} aria-current={current('new')}>
          New workflow
        </a>
        <a href="/docs">API docs</a>
        {onForgetKey && (
          <button class="link" type="button" onClick={onForgetKey}>
            Forget key
          </button>
        )}
      </nav>
      <HealthBar />
    </header>
  );
}

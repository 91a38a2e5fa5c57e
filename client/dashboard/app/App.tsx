import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createWorkflowClient, type FlowstateRouter } from '../../index.ts';
import { CreatePage } from '../create/CreatePage.tsx';
import { WorkflowList } from '../list/WorkflowList.tsx';
import { WorkflowPage } from '../workflow/WorkflowPage.tsx';
import { ApiContext, type Api } from './ApiContext.ts';
import { loadApiKey, saveApiKey } from './apiKeyStore.ts';
import { errorCode, errorText } from './errorCode.ts';
import { Header } from './Header.tsx';
import { KeyPrompt } from './KeyPrompt.tsx';
import { useRoute } from './useRoute.ts';

type Gate = { state: 'checking' } | { state: 'prompt'; refused: boolean } | { state: 'ready' } | { state: 'down'; message: string };

/**
 * The dashboard: asks the server whether this tab may read (one `list` of one
 * item); with no key, or a refused one, shows only the key prompt; otherwise
 * the header and the view the URL names.
 */
export function App() {
  const [apiKey, setApiKey] = useState(loadApiKey);
  const [gate, setGate] = useState<Gate>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const route = useRoute();

  const client = useMemo(() => createWorkflowClient<FlowstateRouter>({ url: location.origin, apiKey }), [apiKey]);

  useEffect(() => {
    let live = true;
    setGate({ state: 'checking' });
    client.list({ limit: 1 }).then(
      () => live && setGate({ state: 'ready' }),
      (error: unknown) => {
        if (!live) return;
        if (errorCode(error) === 'UNAUTHORIZED') setGate({ state: 'prompt', refused: apiKey !== undefined });
        else setGate({ state: 'down', message: errorText(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [client, attempt]);

  const onUnauthorized = useCallback(() => setGate({ state: 'prompt', refused: true }), []);
  const api = useMemo<Api>(() => ({ client, onUnauthorized }), [client, onUnauthorized]);

  const useKey = (key: string | undefined) => {
    saveApiKey(key);
    setApiKey(key);
    setAttempt((n) => n + 1);
  };

  if (gate.state === 'prompt') return <KeyPrompt refused={gate.refused} onSubmit={useKey} />;
  if (gate.state === 'checking') return <main class="centered" aria-busy="true">Connecting…</main>;
  if (gate.state === 'down') {
    return (
      <main class="centered">
        <p role="alert">{gate.message}</p>
        <button onClick={() => setAttempt((n) => n + 1)}>Try again</button>
      </main>
    );
  }
  return (
    <ApiContext.Provider value={api}>
      <Header route={route} onForgetKey={apiKey === undefined ? undefined : () => useKey(undefined)} />
      <main id="main" tabIndex={-1}>
        {route.view === 'list' && <WorkflowList query={route.query} />}
        {route.view === 'workflow' && <WorkflowPage key={route.id} id={route.id} task={route.task} />}
        {route.view === 'new' && <CreatePage from={route.from} />}
      </main>
    </ApiContext.Provider>
  );
}

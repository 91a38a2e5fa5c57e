import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { FlowstateRouter, WorkflowClient } from '../../index.ts';

/** What every view reaches the server through. */
export interface Api {
  /** The SDK's client (typed tRPC underneath), carrying the tab's API key. */
  /** Untyped by task: the dashboard serves whatever tasks its server registers (the server checks them). */
  client: WorkflowClient<FlowstateRouter>;
  /** Views report a call refused for its key here; the app then asks for the key again. */
  onUnauthorized(): void;
}

/** Set by the app once the server has accepted the key (or wants none). */
export const ApiContext = createContext<Api | null>(null);

/** The API of the signed-in app; only views under the app's provider call it. */
export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

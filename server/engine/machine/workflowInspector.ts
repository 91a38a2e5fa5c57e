import type { InspectionEvent, Observer } from 'xstate';
import type { Logger } from '../../logger.ts';

/** The Stately inspector attached to every workflow actor (`XSTATE_INSPECT`). */
export interface WorkflowInspector {
  /** Passed to every workflow actor: sees its events and snapshots, and its children's. */
  readonly inspect: Observer<InspectionEvent>;
  /** Closes the WebSocket (and stops reconnecting). */
  stop(): void;
}

/**
 * Connects `@statelyai/inspect`'s WebSocket inspector to the relay at `url`
 * (`npm run inspect` starts one and opens the Stately inspector in a browser).
 * A development aid: loaded only when configured; while the relay is away it
 * keeps the newest 200 events and reconnects every 5 s. A workflow's context
 * shows as `{ live: <its status document> }` (see LiveStatus.toJSON), as it
 * is when the inspector sends the event (a moment after the transition).
 */
export async function openWorkflowInspector(url: string, logger: Logger): Promise<WorkflowInspector> {
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const inspector = createWebSocketInspector({ url });
  logger.warn('XState inspector attached: every workflow actor reports its events to the relay (a development aid; unset XSTATE_INSPECT in production)', { url });
  return { inspect: inspector.inspect, stop: () => inspector.stop() };
}

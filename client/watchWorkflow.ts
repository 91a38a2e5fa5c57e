import { type WorkflowStatus, isTerminal } from '../shared/status.ts';
import { FlowstateClientError, toClientError, type ClientErrorCode } from './errors.ts';

/** Stops watching; safe to call more than once. */
export type Unsubscribe = () => void;

/** How `watch` behaves when things go wrong. */
export interface WatchOptions {
  /** Called once if watching stops for good (unknown id, bad key, server gone); then no more calls. */
  onError?: (error: FlowstateClientError) => void;
  /** Gap between `get` calls once watching has fallen back to polling (default 500 ms). */
  pollIntervalMs?: number;
  /** How long the SSE stream may take to (re)connect before polling takes over (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Polling gives up after this many failed `get` calls in a row (default 5). */
  maxConsecutiveErrors?: number;
}

/** The handlers `watchWorkflow` gives the subscription (a subset of tRPC's observer). */
export interface SubscriptionHandlers {
  onStarted(): void;
  onData(value: unknown): void;
  onError(err: unknown): void;
  onComplete(): void;
  onConnectionStateChange(state: { state: string; error: unknown }): void;
}

/** What watching needs from the transport: the SSE subscription and a plain `get`. */
export interface WatchTransport {
  subscribe(id: string, handlers: SubscriptionHandlers): { unsubscribe(): void };
  get(id: string): Promise<WorkflowStatus>;
}

/** Errors that polling again will not fix. */
const FATAL: ReadonlySet<ClientErrorCode> = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'NOT_FOUND', 'METHOD_NOT_ALLOWED']);

/** A tracked SSE event arrives as `{ id, data }`; an untracked one is the status itself. */
function unwrap(value: unknown): WorkflowStatus {
  if (typeof value === 'object' && value !== null && !('steps' in value) && 'data' in value) {
    return (value as { data: WorkflowStatus }).data;
  }
  return value as WorkflowStatus;
}

/**
 * Calls `onChange` with each new status of workflow `id`, starting with its
 * current one, until it reaches a terminal state. Uses the SSE subscription;
 * if that errors, ends early, or cannot (re)connect within `connectTimeoutMs`,
 * it falls back to polling `get`. Identical consecutive statuses are reported once.
 */
export function watchWorkflow(
  transport: WatchTransport,
  id: string,
  onChange: (status: WorkflowStatus) => void,
  options: WatchOptions = {},
): Unsubscribe {
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const maxErrors = options.maxConsecutiveErrors ?? 5;
  let stopped = false;
  let polling = false;
  let lastJson: string | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let subscription: { unsubscribe(): void } | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(connectTimer);
    clearTimeout(pollTimer);
    subscription?.unsubscribe();
  };

  const fail = (err: unknown) => {
    if (stopped) return;
    stop();
    options.onError?.(toClientError(err));
  };

  const deliver = (status: WorkflowStatus) => {
    if (stopped) return;
    const json = JSON.stringify(status);
    if (json === lastJson) return;
    lastJson = json;
    if (isTerminal(status.status)) stop();
    try {
      onChange(status);
    } catch (err) {
      // A throwing listener is the caller's bug: stop, and surface it as an uncaught
      // exception (as an EventEmitter listener's would) instead of breaking the stream.
      stop();
      queueMicrotask(() => {
        throw err;
      });
    }
  };

  const poll = async () => {
    let errors = 0;
    while (!stopped) {
      try {
        deliver(await transport.get(id));
        errors = 0;
      } catch (err) {
        const clientError = toClientError(err);
        if (FATAL.has(clientError.code) || ++errors >= maxErrors) return fail(clientError);
      }
      if (stopped) return;
      await new Promise<void>((resolve) => {
        pollTimer = setTimeout(resolve, pollIntervalMs);
      });
    }
  };

  const startPolling = () => {
    if (stopped || polling) return;
    polling = true;
    clearTimeout(connectTimer);
    subscription?.unsubscribe();
    void poll();
  };

  let everConnected = false;
  const disarm = () => {
    clearTimeout(connectTimer);
    connectTimer = undefined;
  };
  const onConnected = () => {
    everConnected = true;
    disarm();
  };

  // Until the stream first opens, the connect timer bounds how long we wait for it.
  connectTimer = setTimeout(startPolling, connectTimeoutMs);
  subscription = transport.subscribe(id, {
    onStarted: onConnected,
    onData: (value) => {
      if (!polling) deliver(unwrap(value));
    },
    // Whatever broke the stream, polling either recovers or reports the real cause.
    onError: () => startPolling(),
    // The server ends the stream at a terminal status; if we have not seen one, ask.
    onComplete: () => startPolling(),
    onConnectionStateChange: ({ state, error }) => {
      if (state === 'pending') onConnected();
      else if (state === 'connecting' && error) {
        // Never connected: polling at once tells a dead server from a missing SSE route.
        if (!everConnected) startPolling();
        // A dropped stream reconnects by itself; give it connectTimeoutMs before polling.
        else if (connectTimer === undefined) connectTimer = setTimeout(startPolling, connectTimeoutMs);
      }
    },
  });
  // A handler may already have switched to polling or stopped while subscribing.
  if (stopped || polling) subscription.unsubscribe();
  return stop;
}

import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '../../../server/api/router.ts';
import type { WorkflowStatus } from '../../../shared/status.ts';

/** A raw typed tRPC client for tests: batched queries/mutations (or unbatched), SSE subscriptions, optional API key header. */
export function trpcClient(baseUrl: string, options: { apiKey?: string; batch?: boolean; connectionParamsKey?: string } = {}) {
  const url = `${baseUrl}/trpc`;
  const headers = (): Record<string, string> => (options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {});
  const http = options.batch === false ? httpLink({ url, transformer: superjson, headers }) : httpBatchLink({ url, transformer: superjson, headers });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource,
          connectionParams: options.connectionParamsKey ? { apiKey: options.connectionParamsKey } : undefined,
          // EventSource cannot set headers; the `eventsource` package's fetch hook can.
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers() } }),
          }),
        }),
        false: http,
      }),
    ],
  });
}

/** The client {@link trpcClient} makes. */
export type TrpcTestClient = ReturnType<typeof trpcClient>;
/** One event of `workflow.watch` as the client receives it. */
export interface WatchEvent {
  id: string;
  data: WorkflowStatus;
}

/** Subscribes to `workflow.watch` and resolves with every event once the server ends the stream. */
export function collectWatch(client: TrpcTestClient, id: string, lastEventId?: string, timeoutMs = 15_000): Promise<WatchEvent[]> {
  return new Promise((resolve, reject) => {
    const events: WatchEvent[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`watch of ${id} did not end within ${timeoutMs} ms (${events.length} events)`));
    }, timeoutMs);
    const sub = client.workflow.watch.subscribe(
      { id, lastEventId },
      {
        onData: (event) => events.push(event as WatchEvent),
        onError: (error) => {
          clearTimeout(timer);
          sub.unsubscribe();
          reject(error);
        },
        onComplete: () => {
          clearTimeout(timer);
          resolve(events);
        },
      },
    );
  });
}


import { useState } from 'preact/hooks';
import type { WorkflowClient } from '../../index.ts';
import { formatAgo } from '../ui/time.ts';
import { useApi } from './ApiContext.ts';
import { errorText } from './errorCode.ts';
import { usePoll } from './usePoll.ts';

/** What `health` answers (typed from the router). */
export type Health = Awaited<ReturnType<WorkflowClient['trpc']['health']['query']>>;

/** Health is cheap and changes slowly; every few seconds is enough. */
const HEALTH_POLL_MS = 3000;

/**
 * The server's health, kept fresh: the store, what this process runs and
 * queues, changes not yet saved (non-zero while the store is away), a
 * degraded state with its reason, creates refused while the server was
 * overloaded, and on a cluster the jobs waiting across it and each live
 * process (opened from the "processes" summary).
 */
export function HealthBar() {
  const { client } = useApi();
  const [health, setHealth] = useState<Health>();
  // The server leaves the cluster part out while Redis is slow to answer: keep the last one seen.
  const [cluster, setCluster] = useState<Health['cluster']>();
  const [error, setError] = useState<string>();
  usePoll(
    async (live) => {
      try {
        const h = await client.trpc.health.query();
        if (!live()) return;
        setHealth(h);
        if (h.cluster || h.store !== 'redis') setCluster(h.cluster);
        setError(undefined);
      } catch (e) {
        if (live()) setError(errorText(e));
      }
    },
    HEALTH_POLL_MS,
    [client],
  );

  if (error) return <p class="health down" role="status">Server: {error}</p>;
  if (!health) return <p class="health" aria-busy="true">Server: …</p>;
  const { running, queued, unsaved } = health.workflows;
  const refused = health.overload?.refused_creates ?? 0;
  return (
    <div class="health" role="status" aria-label="Server health">
      {health.status !== 'ok' && <span class="warn">degraded: {health.reason ?? 'see /health'}</span>}
      <span>
        store <b>{health.store}</b>
      </span>
      <span>
        <b>{running}</b> running
      </span>
      <span>
        <b>{queued}</b> queued
      </span>
      <span class={unsaved > 0 ? 'warn' : undefined}>
        <b>{unsaved}</b> unsaved
      </span>
      {refused > 0 && (
        <span class="warn" title="Creates answered 503 (Retry-After: 1, nothing stored) since the server started, because its event loop was stalled past OVERLOAD_STALL_MS">
          <b>{refused}</b> create{refused === 1 ? '' : 's'} refused (overloaded)
        </span>
      )}
      {cluster && (
        <details class="processes">
          <summary>
            <b>{cluster.processes.length}</b> process{cluster.processes.length === 1 ? '' : 'es'}, <b>{cluster.backlog.waiting + cluster.backlog.delayed}</b> waiting
          </summary>
          <div class="processes-panel">
            <p>
              Jobs across the cluster: {cluster.backlog.active} active, {cluster.backlog.waiting} waiting, {cluster.backlog.delayed} delayed (retry backoff).
            </p>
            <ul>
              {cluster.processes.map((p) => (
                <li key={p.id}>
                  <span class="mono">{p.id}</span>
                  {p.id === health.process ? ' (this one)' : ''}: {p.host} pid {p.pid}, {p.running} running, up since {formatAgo(p.started_at)}
                </li>
              ))}
            </ul>
          </div>
        </details>
      )}
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import type { WorkflowClient } from '../../index.ts';
import { useApi } from './ApiContext.ts';
import { errorText } from './errorCode.ts';

/** What `health` answers (typed from the router). */
export type Health = Awaited<ReturnType<WorkflowClient['trpc']['health']['query']>>;

/** Health is cheap and changes slowly; every few seconds is enough. */
const HEALTH_POLL_MS = 3000;

/** One process of a cluster, as `/health` lists it; shown field by field, whatever fields it has. */
type ProcessEntry = Record<string, unknown>;

/** The cluster's processes, when this server reports them (`cluster.processes`, on Redis). */
function processesOf(health: Health): ProcessEntry[] | undefined {
  const cluster: unknown = (health as { cluster?: unknown }).cluster;
  const list: unknown = typeof cluster === 'object' && cluster !== null ? (cluster as { processes?: unknown }).processes : undefined;
  return Array.isArray(list) ? list.filter((p): p is ProcessEntry => typeof p === 'object' && p !== null) : undefined;
}

/**
 * The server's health, kept fresh: the store, what runs and waits, changes not
 * yet saved (non-zero while the store is away), and, when the server reports
 * a cluster, its processes.
 */
export function HealthBar() {
  const { client } = useApi();
  const [health, setHealth] = useState<Health>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const tick = async () => {
      try {
        const h = await client.trpc.health.query();
        if (!live) return;
        setHealth(h);
        setError(undefined);
      } catch (e) {
        if (live) setError(errorText(e));
      }
      if (live) timer = setTimeout(tick, HEALTH_POLL_MS);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client]);

  if (error) return <p class="health down" role="status">Server: {error}</p>;
  if (!health) return <p class="health" aria-busy="true">Server: …</p>;
  const { running, queued, unsaved } = health.workflows;
  const processes = processesOf(health);
  return (
    <div class="health" role="status" aria-label="Server health">
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
      {processes && processes.length > 0 && (
        <details class="processes">
          <summary>{processes.length} processes</summary>
          <ul>
            {processes.map((p, i) => (
              <li key={String(p.id ?? i)}>
                {Object.entries(p)
                  .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                  .join(' · ')}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

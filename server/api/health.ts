import { z } from 'zod';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';

/** What `GET /health` and the tRPC `health` query answer. */
export const HealthSchema = z.object({
  status: z.literal('ok'),
  store: z.enum(['memory', 'redis']),
  uptime_s: z.number(),
  /** What this process holds: running and queued workflows, and changes not yet in the store (non-zero while the store is away). */
  workflows: z.object({ running: z.number(), queued: z.number(), unsaved: z.number() }),
});
/** The health document. */
export type Health = z.infer<typeof HealthSchema>;

/** The health document: which store the engine runs on, how long the process has been up, and its load. */
export function health(engine: Pick<WorkflowEngine, 'storeKind' | 'stats'>): Health {
  return { status: 'ok', store: engine.storeKind, uptime_s: Math.round(process.uptime()), workflows: engine.stats() };
}

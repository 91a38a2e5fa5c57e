import { z } from 'zod';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';

/** What `GET /health` and the tRPC `health` query answer. */
export const HealthSchema = z.object({
  status: z.literal('ok'),
  store: z.enum(['memory', 'redis']),
  uptime_s: z.number(),
});
/** The health document. */
export type Health = z.infer<typeof HealthSchema>;

/** The health document: which store the engine runs on and how long the process has been up. */
export function health(engine: Pick<WorkflowEngine, 'storeKind'>): Health {
  return { status: 'ok', store: engine.storeKind, uptime_s: Math.round(process.uptime()) };
}

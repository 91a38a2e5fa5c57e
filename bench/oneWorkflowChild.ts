import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkflowStore } from '../server/store/WorkflowStore.ts';
import { openFlowstate, type FlowstateSystem } from './flowstateHarness.ts';
import { oneStepDefinition } from './definitions.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';

/** What one isolated run of one workflow measured. */
export interface IsolatedRun {
  seconds: number;
  writes: number;
  batches: number;
  sizes: RecordSizes;
}

/** Bytes of what the store keeps for one workflow. */
export interface RecordSizes {
  status_bytes: number;
  snapshot_bytes: number;
  definition_bytes: number;
}

/** The stored sizes of workflow `id` (JSON as the store writes it). */
export async function recordSizes(store: WorkflowStore, id: string): Promise<RecordSizes> {
  const record = await store.get(id);
  if (!record) throw new Error(`workflow ${id} is not in the store`);
  return {
    status_bytes: Buffer.byteLength(JSON.stringify(record.status)),
    snapshot_bytes: Buffer.byteLength(JSON.stringify(record.snapshot)),
    definition_bytes: Buffer.byteLength(JSON.stringify(record.definition)),
  };
}

const SELF = fileURLToPath(import.meta.url);
const MARK = 'ISOLATED_RUN ';

/**
 * Runs one workflow of one step of `size` no-op tasks in a child process and
 * kills it after `capSeconds`: a run that blocks the event loop for a minute
 * (XState entering a parallel state of 1000 regions does) cannot be timed
 * out from inside. Resolves null when the cap was hit.
 */
export async function runIsolated(system: FlowstateSystem, kind: 'parallel' | 'sequential', size: number, redisUrl: string, capSeconds: number): Promise<IsolatedRun | null> {
  const prefix = benchPrefix();
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, system, kind, String(size), redisUrl, prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  let capped = false;
  const timer = setTimeout(() => {
    capped = true;
    child.kill('SIGKILL');
  }, capSeconds * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (system === 'flowstate-redis') {
    // A killed child cannot clean up after itself.
    const redis = connectRedis(redisUrl);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  }
  if (capped) return null;
  const line = out.split('\n').find((l) => l.startsWith(MARK));
  if (code !== 0 || !line) throw new Error(`isolated ${kind} ${size} run on ${system} exited with ${code}: ${out.slice(-500)}`);
  return JSON.parse(line.slice(MARK.length)) as IsolatedRun;
}

async function child(argv: string[]): Promise<void> {
  const [system, kind, size, redisUrl, prefix] = argv;
  const harness = await openFlowstate(system as FlowstateSystem, { redisUrl, prefix });
  try {
    const before = harness.engine.persistence;
    const run = await harness.runWorkflows(oneStepDefinition(kind as 'parallel' | 'sequential', Number(size)), 1);
    const after = harness.engine.persistence;
    if (harness.unsuccessful > 0) throw new Error('the workflow did not succeed');
    const result: IsolatedRun = {
      seconds: run.seconds,
      writes: after.writes - before.writes,
      batches: after.batches - before.batches,
      sizes: await recordSizes(harness.store, run.ids[0]),
    };
    process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
  } finally {
    await harness.close();
  }
}

if (process.argv[1] === SELF) {
  child(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

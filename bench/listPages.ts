import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '../shared/definition.ts';
import type { WorkflowStatus } from '../shared/status.ts';
import { createRedisStore } from '../server/store/RedisStore.ts';
import type { WorkflowStore } from '../server/store/WorkflowStore.ts';
import type { BenchOptions } from './options.ts';
import { resultRow, round, type BenchResult } from './result.ts';
import { median, secondsSince } from './measure.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';

const PAGE = 50;
const TARGET_PAGE = 100;
/** One seeded workflow in this many carries RARE_NAME (what a name filter looking for a needle finds). */
const RARE_EVERY = 1_000;
const RARE_NAME = 'Bench_Rare_Shape';
// Creates in flight while seeding: enough to fill the socket, bounded memory.
const SEED_WINDOW = 5_000;

// The seed shape as the engine stores it (normalised: every task has its id).
const DEFINITION: WorkflowDefinition = {
  name: 'bench_seed_shape',
  steps: [
    {
      execution_type: 'sequential',
      tasks: [
        { name: 'sleep', id: 'task_a', params: { ms: 0 } },
        { name: 'sleep', id: 'task_b', params: { ms: 0 } },
      ],
    },
    { execution_type: 'parallel', tasks: [{ name: 'sleep', id: 'task_c', params: { ms: 0 } }] },
  ],
};

/** A succeeded seed-shape status document, as the engine leaves one (built from the shared schema's type only). */
function finishedStatus(id: string, now: string, name: string): WorkflowStatus {
  return {
    id,
    name,
    status: 'succeeded',
    priority: 'normal',
    created_at: now,
    started_at: now,
    finished_at: now,
    error: null,
    steps: DEFINITION.steps.map((step, index) => ({
      index,
      execution_type: step.execution_type,
      fail_fast: false,
      status: 'succeeded',
      tasks: step.tasks.map((task) => ({
        id: task.id!,
        name: task.name,
        params: task.params ?? {},
        optional: false,
        status: 'succeeded',
        attempts: 1,
        output: { slept_ms: 0 },
        error: null,
        started_at: now,
        finished_at: now,
      })),
    })),
  };
}

/** Inserts `count` finished workflows through the store's own create script, many in flight at once. */
async function seed(store: WorkflowStore, count: number): Promise<number> {
  const start = performance.now();
  for (let done = 0; done < count; done += SEED_WINDOW) {
    const batch: Promise<unknown>[] = [];
    const now = new Date().toISOString();
    for (let i = done; i < Math.min(count, done + SEED_WINDOW); i++) {
      const id = randomUUID();
      const name = i % RARE_EVERY === RARE_EVERY - 1 ? RARE_NAME : DEFINITION.name;
      batch.push(store.create({ id, status: finishedStatus(id, now, name), definition: { ...DEFINITION, name }, snapshot: null, version: 1 }));
    }
    await Promise.all(batch);
  }
  return secondsSince(start);
}

/** Median ms of `samples` list calls from `cursor` (with a name filter, when given). */
async function timePage(store: WorkflowStore, cursor: string | undefined, samples: number, name?: string): Promise<{ ms: number; items: number }> {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    const page = await store.list({ limit: PAGE, cursor, name });
    times.push(secondsSince(start) * 1000);
    items = page.items.length;
  }
  return { ms: median(times), items };
}

/** Follows the cursor of a name-filtered list to its end: calls made, workflows found, ms in all and of the slowest call. */
async function walkByName(store: WorkflowStore, name: string): Promise<{ calls: number; found: number; ms: number; maxCallMs: number }> {
  let cursor: string | undefined;
  let calls = 0;
  let found = 0;
  let maxCallMs = 0;
  const start = performance.now();
  do {
    const callStart = performance.now();
    const page = await store.list({ limit: PAGE, cursor, name });
    maxCallMs = Math.max(maxCallMs, performance.now() - callStart);
    calls++;
    found += page.items.length;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return { calls, found, ms: secondsSince(start) * 1000, maxCallMs };
}

/**
 * With many workflows in Redis, the time of the first page and of the 100th
 * page of 50 (newest first, cursor pagination): they should be equal. A row's
 * `workflows` is the page's item count and `seconds` one call's median time.
 * Then the name filter (rows with `name_filter`): the first page of a name nearly
 * every workflow has, one call for a name one in 1,000 has (it examines the
 * scan budget and hands back a cursor), and a walk to the end of that name.
 */
export async function listPages(options: BenchOptions): Promise<BenchResult[]> {
  const prefix = benchPrefix();
  const store = createRedisStore({ redis: connectRedis(options.redisUrl), prefix });
  try {
    const count = options.listWorkflows;
    const seedSeconds = await seed(store, count);
    const note = count < 100_000 ? `${count} workflows seeded, not 100000 (quick mode)` : `${count} workflows seeded`;
    // Warm-up, then walk to page 100 (its cursor is what a client would hold).
    await timePage(store, undefined, 3);
    let cursor: string | undefined;
    for (let p = 1; p < TARGET_PAGE; p++) {
      const page = await store.list({ limit: PAGE, cursor });
      if (!page.next_cursor) throw new Error(`list: only ${p} pages of ${PAGE} in ${count} workflows`);
      cursor = page.next_cursor;
    }
    const first = await timePage(store, undefined, options.listSamples);
    const hundredth = await timePage(store, cursor, options.listSamples);
    const extra = { seeded: count, seed_per_s: round(count / seedSeconds, 0), note };
    const rows = [1, TARGET_PAGE].map((page) => {
      const m = page === 1 ? first : hundredth;
      return resultRow('list', 'flowstate-redis', m.items, 3, m.ms / 1000, { page, ms: round(m.ms, 3), items: m.items, samples: options.listSamples, ...extra });
    });
    const common = await timePage(store, undefined, options.listSamples, 'seed_shape');
    const rare = await timePage(store, undefined, options.listSamples, 'rare_shape');
    const walk = await walkByName(store, 'RARE_SHAPE');
    const byName = (filter: string, m: { ms: number; items: number }, more: Record<string, unknown> = {}) =>
      resultRow('list', 'flowstate-redis', m.items, 3, m.ms / 1000, { name_filter: filter, ms: round(m.ms, 3), items: m.items, samples: options.listSamples, ...more, ...extra });
    rows.push(
      byName('seed_shape (nearly all match), page 1', common),
      byName(`rare_shape (1 in ${RARE_EVERY}), page 1`, rare),
      byName(`rare_shape (1 in ${RARE_EVERY}), every page to the end`, { ms: walk.ms, items: walk.found }, { calls: walk.calls, max_call_ms: round(walk.maxCallMs, 3), samples: 1 }),
    );
    return rows;
  } finally {
    await store.close();
    const redis = connectRedis(options.redisUrl);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  }
}

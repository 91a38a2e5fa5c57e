import type { Redis } from 'ioredis';
import { UNFINISHED_WORKFLOW_STATES, WorkflowStateSchema, type WorkflowPage, type WorkflowState, type WorkflowStatus } from '../../shared/status.ts';
import type { EventPage, WorkflowEvent } from '../../shared/events.ts';
import { FlowstateError } from '../errors.ts';
import { parseListOptions } from './listOptions.ts';
import { nameSearchKey } from './nameSearchKey.ts';
import { assertConsistent, assertIdempotencyKey, assertNewRecord, duplicateId } from './recordChecks.ts';
import { toStoreError } from './redisError.ts';
import { registerScripts, type ScriptPipeline } from './redisScripts.ts';
import { retentionMs } from './retention.ts';
import type { CreateResult, StoreListOptions, NewRecord, SavedRecord, StatusAt, WorkflowRecord, WorkflowStore } from './WorkflowStore.ts';
import { DEFAULT_LIST_SCAN_BUDGET, DEFAULT_MAX_EVENTS } from './MemoryStore.ts';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** The connection; the store owns it from now on (close() quits it). */
  redis: Redis;
  /** Every key the store writes starts with this (e.g. `flowstate:`). */
  prefix: string;
  /** Seconds a finished (succeeded, failed, cancelled) workflow is kept; unset = forever. */
  retentionSeconds?: number;
  /**
   * Index entries a list call may examine beyond the page before it hands back
   * a short page with a cursor (only a long run of expired ids, or of names a
   * name filter does not match, gets that far). Default 1000.
   */
  listScanBudget?: number;
  /** Events kept per workflow (the newest); default 10,000. */
  maxEvents?: number;
}

/** Event ids and JSON, flattened as the scripts take them. */
function eventArgs(events: WorkflowEvent[] = []): Array<string | number> {
  const args: Array<string | number> = [];
  for (const e of events) args.push(e.id, JSON.stringify(e));
  return args;
}

/**
 * A {@link WorkflowStore} on Redis. Layout under `prefix`:
 * - `wf:<id>` hash: `v` version, `state`, `doc` status JSON, `def` definition
 *   JSON (written once), `snap` snapshot JSON, `seq` its listing score, `idem` its idempotency key,
 *   `lname` the name as the list's name filter compares it (nameSearchKey; written once, at
 *   create: a workflow stored before the field existed lacks it, and list reads its name from `doc`);
 * - `seq` counter giving each workflow a unique, increasing score;
 * - `idx:all`, `idx:state:<state>` sorted sets by score (newest-first listing);
 * - `idx:expiring` sorted set of finished workflows by expiry time (index cleanup);
 * - `idem:<key>` → workflow id;
 * - `ev:<id>` stream: the workflow's history, entry ids `0-<event id>`, capped,
 *   expiring with the workflow; `wf:<id>` field `ev` holds the newest event id.
 * Every change is one Lua script, so a reader never sees half a write.
 */
export function createRedisStore(options: RedisStoreOptions): WorkflowStore {
  const { prefix } = options;
  const keepMs = retentionMs(options.retentionSeconds);
  const scanBudget = Math.max(1, Math.floor(options.listScanBudget ?? DEFAULT_LIST_SCAN_BUDGET));
  const redis = registerScripts(options.redis);
  const hashKey = (id: string) => `${prefix}wf:${id}`;
  const eventsKey = (id: string) => `${prefix}ev:${id}`;
  const maxEvents = Math.max(1, Math.floor(options.maxEvents ?? DEFAULT_MAX_EVENTS));

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  function parse<T>(json: string, what: string): T {
    try {
      return JSON.parse(json) as T;
    } catch (cause) {
      throw new FlowstateError('INTERNAL', `stored ${what} is not JSON`, { cause });
    }
  }

  return {
    kind: 'redis',

    async create(record: NewRecord, idempotencyKey?: string): Promise<CreateResult> {
      assertNewRecord(record);
      assertIdempotencyKey(idempotencyKey);
      const [outcome, id] = await call('create', () =>
        redis.flowstateCreate(
          hashKey(record.id),
          prefix,
          record.id,
          record.status.status,
          JSON.stringify(record.status),
          JSON.stringify(record.definition),
          JSON.stringify(record.snapshot ?? null),
          idempotencyKey ?? '',
          keepMs,
          Date.now(),
          maxEvents,
          nameSearchKey(record.status.name),
          ...eventArgs(record.events),
        ),
      );
      if (outcome === -1) throw duplicateId(record.id);
      return { id, created: outcome === 1 };
    },

    async saveMany(records: SavedRecord[]): Promise<{ conflicts: string[] }> {
      if (records.length === 0) return { conflicts: [] };
      records.forEach(assertConsistent);
      const now = Date.now();
      const replies = await call('saveMany', () => {
        const pipeline = redis.pipeline() as ScriptPipeline;
        for (const r of records) {
          pipeline.flowstateSave(
            hashKey(r.id),
            prefix,
            r.id,
            r.version,
            r.status.status,
            JSON.stringify(r.status),
            JSON.stringify(r.snapshot ?? null),
            keepMs,
            now,
            maxEvents,
            ...eventArgs(r.events),
          );
        }
        return pipeline.exec();
      });
      if (replies === null) throw toStoreError(new Error('pipeline discarded'), 'saveMany');
      const conflicts: string[] = [];
      replies.forEach(([error, written], i) => {
        // One failed reply means the connection broke mid-batch: the caller retries
        // the whole batch, and the writes that did land count as done on retry.
        if (error) throw toStoreError(error, 'saveMany');
        if (written !== 1) conflicts.push(records[i].id);
      });
      return { conflicts };
    },

    async get(id: string): Promise<WorkflowRecord | null> {
      const [v, doc, def, snap, ev, cancel] = await call('get', () => redis.hmget(hashKey(id), 'v', 'doc', 'def', 'snap', 'ev', 'cancel'));
      if (v === null || doc === null || def === null || snap === null) return null;
      return {
        lastEventId: Number(ev ?? 0),
        ...(cancel === '1' ? { cancelRequested: true } : {}),
        id,
        status: parse<WorkflowStatus>(doc, 'status'),
        definition: parse<WorkflowRecord['definition']>(def, 'definition'),
        snapshot: parse<unknown>(snap, 'snapshot'),
        version: Number(v),
      };
    },

    async getStatus(id: string): Promise<WorkflowStatus | null> {
      const doc = await call('getStatus', () => redis.hget(hashKey(id), 'doc'));
      return doc === null ? null : parse<WorkflowStatus>(doc, 'status');
    },

    async requestCancel(id: string): Promise<void> {
      // HSETNX-like on an existing hash only: a cancel never creates a workflow.
      await call('requestCancel', () => redis.eval(`if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'cancel', '1') end return 1`, 1, hashKey(id)));
    },

    async getStatusAt(id: string): Promise<StatusAt | null> {
      const [doc, ev] = await call('getStatusAt', () => redis.hmget(hashKey(id), 'doc', 'ev'));
      return doc === null ? null : { status: parse<WorkflowStatus>(doc, 'status'), eventId: Number(ev ?? 0) };
    },

    async events(id: string, after: number, limit: number): Promise<EventPage | null> {
      const replies = await call('events', () =>
        redis.multi().exists(hashKey(id)).xrange(eventsKey(id), `(0-${after}`, '+', 'COUNT', limit + 1).exec(),
      );
      if (replies === null) throw toStoreError(new Error('transaction discarded'), 'events');
      for (const [error] of replies) if (error) throw toStoreError(error, 'events');
      if (replies[0][1] === 0) return null;
      const entries = replies[1][1] as Array<[string, string[]]>;
      const items = entries.slice(0, limit).map(([, fields]) => parse<WorkflowEvent>(fields[1], 'event'));
      return { items, next_cursor: entries.length > limit ? String(items[items.length - 1].id) : null };
    },

    async list(listOptions: StoreListOptions): Promise<WorkflowPage> {
      const { limit, before, status, nameKey } = parseListOptions(listOptions);
      const index = status === undefined ? `${prefix}idx:all` : `${prefix}idx:state:${status}`;
      const [cursor, ...docs] = await call('list', () =>
        redis.flowstateList(index, prefix, before === undefined ? '+inf' : before, limit, limit + scanBudget, nameKey ?? ''),
      );
      return {
        items: docs.map((d) => parse<WorkflowStatus>(d, 'status')),
        next_cursor: cursor === '' ? null : cursor,
      };
    },

    async counts(): Promise<Record<WorkflowState, number>> {
      const states = WorkflowStateSchema.options;
      const replies = await call('counts', () => {
        const pipeline = redis.pipeline();
        for (const state of states) pipeline.zcard(`${prefix}idx:state:${state}`);
        return pipeline.exec();
      });
      if (replies === null) throw toStoreError(new Error('pipeline discarded'), 'counts');
      const counts = {} as Record<WorkflowState, number>;
      states.forEach((state, i) => {
        const [error, n] = replies[i];
        if (error) throw toStoreError(error, 'counts');
        counts[state] = Number(n);
      });
      return counts;
    },

    async listUnfinished(): Promise<string[]> {
      // One transaction, so a workflow moving from pending to running between
      // the reads can be neither missed nor listed twice.
      const replies = await call('listUnfinished', () => {
        const multi = redis.multi();
        for (const state of UNFINISHED_WORKFLOW_STATES) multi.zrange(`${prefix}idx:state:${state}`, 0, '-1', 'WITHSCORES');
        return multi.exec();
      });
      if (replies === null) throw toStoreError(new Error('transaction discarded'), 'listUnfinished');
      const found: Array<[number, string]> = [];
      for (const [error, flat] of replies) {
        if (error) throw toStoreError(error, 'listUnfinished');
        const pairs = flat as string[];
        for (let i = 0; i < pairs.length; i += 2) found.push([Number(pairs[i + 1]), pairs[i]]);
      }
      return found.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
    },

    async ping(): Promise<void> {
      await call('ping', () => redis.ping());
    },

    async close(): Promise<void> {
      try {
        await redis.quit();
      } catch {
        // Already gone or unreachable: dropping the socket is all that is left to do.
        redis.disconnect();
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '../../shared/definition.ts';
import { isTerminal, type WorkflowState, type WorkflowStatus } from '../../shared/status.ts';
import type { WorkflowRecord } from '../../server/store/WorkflowStore.ts';

/** The original engine's sample workflow, normalised (task ids assigned). */
export function sampleDefinition(name = 'sample_workflow'): WorkflowDefinition {
  return {
    name,
    steps: [
      {
        execution_type: 'sequential',
        tasks: [
          { name: 'task_a', id: 'task_a', params: { timeout: 30 } },
          { name: 'task_b', id: 'task_b', params: { retry_count: 3 } },
        ],
      },
      { execution_type: 'parallel', tasks: [{ name: 'task_c', id: 'task_c', params: { priority: 'high' } }] },
    ],
  };
}

/** A status document for `definition` as the engine would write it in workflow state `state`. */
export function statusFor(id: string, definition: WorkflowDefinition, state: WorkflowState): WorkflowStatus {
  const now = new Date().toISOString();
  const started = state !== 'pending';
  const finished = isTerminal(state);
  return {
    id,
    name: definition.name,
    status: state,
    priority: definition.priority ?? 'normal',
    created_at: now,
    started_at: started ? now : null,
    finished_at: finished ? now : null,
    error: state === 'failed' ? 'task task_b failed: boom' : null,
    steps: definition.steps.map((step, index) => ({
      index,
      execution_type: step.execution_type,
      fail_fast: step.fail_fast ?? false,
      status: finished ? (state === 'succeeded' ? 'succeeded' : 'skipped') : started && index === 0 ? 'running' : 'pending',
      tasks: step.tasks.map((task) => ({
        id: task.id ?? task.name,
        name: task.name,
        params: task.params ?? {},
        optional: task.optional ?? false,
        status: state === 'succeeded' ? 'succeeded' : 'pending',
        attempts: state === 'succeeded' ? 1 : 0,
        output: state === 'succeeded' ? { result: `${task.name} done`, nested: { list: [1, 2, 3] } } : undefined,
        error: null,
        started_at: state === 'succeeded' ? now : null,
        finished_at: state === 'succeeded' ? now : null,
      })),
    })),
  };
}

/** A fresh version-1 record in state `pending` (or `state`), with a new UUID unless `id` is given. */
export function makeRecord(options: { id?: string; state?: WorkflowState; name?: string } = {}): WorkflowRecord {
  const id = options.id ?? randomUUID();
  const definition = sampleDefinition(options.name);
  return { id, status: statusFor(id, definition, options.state ?? 'pending'), definition, snapshot: null, version: 1, lastEventId: 0 };
}

/** The next version of `record`: moved to `state` (default: unchanged) with a snapshot that says so. */
export function nextVersion(record: WorkflowRecord, state: WorkflowState = record.status.status): WorkflowRecord {
  const version = record.version + 1;
  return {
    ...record,
    status: statusFor(record.id, record.definition, state),
    snapshot: { status: isTerminal(state) ? 'done' : 'active', value: { step0: 'task_a' }, version },
    version,
  };
}

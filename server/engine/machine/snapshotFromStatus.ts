import { type StepStatus, type TaskStatus, type WorkflowStatus, hasTaskEnded } from '../../../shared/status.ts';
import type { StateValue } from 'xstate';
import { UnresumableWorkflowError } from '../../errors.ts';
import { LANE_SIZE, laneCount } from './laneMachine.ts';
import { backoffActorId, backoffState, laneActorId, stepState, taskActorId, taskState } from './machineNames.ts';
import { stepLayout } from './buildWorkflowMachine.ts';

/** A child actor as XState persists it. */
interface PersistedChild {
  snapshot: Record<string, unknown>;
  src: string;
  syncSnapshot: false;
}

/** A workflow machine's persisted snapshot (context left out: it is the status document). */
export interface PersistedWorkflowSnapshot {
  status: 'active';
  value: StateValue;
  historyValue: Record<string, never>;
  context: null;
  children: Record<string, PersistedChild>;
}

/**
 * The persisted snapshot of this engine's machine for a running workflow,
 * rebuilt from its status document alone: the running step's state, each of
 * its open tasks in its state (`running` invokes its task actor again,
 * `retrying` waits in its backoff until `next_attempt_at`), ended tasks where
 * they ended. The status says everything the machine holds (XState keeps
 * only control state), so a workflow stored by a machine of another format —
 * an older engine's, or other region or lane widths — resumes here.
 * Throws UnresumableWorkflowError when the status has no running step, or a
 * step whose tasks cannot be where they are (a pending task after a running
 * one in a sequential step, say).
 */
export function snapshotFromStatus(status: WorkflowStatus): PersistedWorkflowSnapshot {
  const s = status.steps.findIndex((step) => step.status === 'running');
  if (s < 0) throw new UnresumableWorkflowError(`workflow is "${status.status}" but no step is running`);
  const step = status.steps[s];
  const name = stepState(s, step.execution_type);
  const children: Record<string, PersistedChild> = {};
  const layout = stepLayout({ kind: step.execution_type, width: step.tasks.length });
  if (layout === 'sequence') {
    const t = step.tasks.findIndex((task) => !hasTaskEnded(task.status));
    if (t < 0) throw new UnresumableWorkflowError(`step ${s + 1} is running but every task of it ended`);
    const task = step.tasks[t];
    const open = openTask(status, s, t, task, children);
    return persisted({ [name]: open === 'running' ? taskState(t) : backoffState(t) }, children);
  }
  if (layout === 'regions') {
    const regions: Record<string, string> = {};
    step.tasks.forEach((task, t) => {
      if (task.status === 'succeeded' || task.status === 'failed') regions[taskState(t)] = task.status;
      else regions[taskState(t)] = openTask(status, s, t, task, children) === 'running' ? 'running' : 'backoff';
    });
    return persisted({ [name]: regions }, children);
  }
  for (let lane = 0; lane < laneCount(step.tasks.length); lane++) children[laneActorId(s, lane)] = laneChild(status, step, s, lane);
  return persisted(name, children);
}

function persisted(value: StateValue, children: Record<string, PersistedChild>): PersistedWorkflowSnapshot {
  return { status: 'active', value, historyValue: {}, context: null, children };
}

/** Adds the actor of an open task (its attempt, or its backoff) to `children`; says which. */
function openTask(status: WorkflowStatus, s: number, t: number, task: TaskStatus, children: Record<string, PersistedChild>): 'running' | 'retrying' {
  if (task.status === 'running') {
    children[taskActorId(s, t)] = { snapshot: { status: 'active', input: { workflowId: status.id, step: s, task: t } }, src: 'task', syncSnapshot: false };
    return 'running';
  }
  if (task.status === 'retrying' && task.next_attempt_at) {
    children[backoffActorId(s, t)] = { snapshot: { status: 'active', input: { until: task.next_attempt_at } }, src: 'delay', syncSnapshot: false };
    return 'retrying';
  }
  throw new UnresumableWorkflowError(`task "${task.id}" of running step ${s + 1} is "${task.status}"${task.status === 'retrying' ? ' without next_attempt_at' : ''}`);
}

/** A lane of a wide step, with the actors of its open tasks. */
function laneChild(status: WorkflowStatus, step: StepStatus, s: number, lane: number): PersistedChild {
  const first = lane * LANE_SIZE;
  const count = Math.min(LANE_SIZE, step.tasks.length - first);
  const children: Record<string, PersistedChild> = {};
  for (let t = first; t < first + count; t++) {
    const task = step.tasks[t];
    if (!hasTaskEnded(task.status)) openTask(status, s, t, task, children);
  }
  const context = { workflowId: status.id, step: s, first, count };
  return { snapshot: { status: 'active', value: 'hosting', historyValue: {}, context, children }, src: 'lane', syncSnapshot: false };
}

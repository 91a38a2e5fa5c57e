import type { StateValue } from 'xstate';
import { type WorkflowStatus, isTerminal } from '../../shared/status.ts';
import type { WorkflowMachineInfo } from '../../shared/machine.ts';
import { type WorkflowMachine, isStamped, snapshotFromStatus, type MachineCache } from './machine/index.ts';
import type { WorkflowStore } from '../store/WorkflowStore.ts';
import type { WorkflowRun } from './run/index.ts';
import type { LaunchQueue } from './scheduling/index.ts';
import { fromStore, notFound } from './persistence/index.ts';

// A machine's JSON, made once: the same for every workflow of its shape.
const definitions = new WeakMap<WorkflowMachine, Record<string, unknown>>();

/**
 * A machine's definition as JSON: XState's `machine.toJSON()`, made compact
 * and complete. Each state lists its `type` (unless atomic), `description`,
 * `initial`, `entry` / `exit` actions, `invoke`d actors (`id`, `src`),
 * transitions by event (`on`: `target`, `guard`, `actions`) and its eventless
 * transitions (`always`, which `toJSON()` leaves out); what `toJSON()` repeats
 * (`transitions` beside `on`, every node's `version`, each transition's source
 * and event type) or gives as defaults (empty lists) is left out. Made once
 * per machine.
 */
export function machineDefinition(machine: WorkflowMachine): Record<string, unknown> {
  let json = definitions.get(machine);
  if (!json) definitions.set(machine, (json = { id: machine.id, version: machine.version, ...describeNode(machine.root) }));
  return json;
}

type Node = WorkflowMachine['root'];
type Transition = NonNullable<Node['always']>[number];

function describeNode(node: Node): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (node.type !== 'atomic') json.type = node.type;
  if (node.description) json.description = node.description;
  const initial = node.type === 'compound' ? node.initial.target : [];
  if (initial.length > 0) json.initial = initial.map((target) => `#${target.id}`).join(' ');
  if (node.entry.length > 0) json.entry = node.entry.map(describeAction);
  if (node.exit.length > 0) json.exit = node.exit.map(describeAction);
  if (node.invoke.length > 0) json.invoke = node.invoke.map((invoke) => ({ id: invoke.id, src: typeof invoke.src === 'string' ? invoke.src : 'inline' }));
  const on = Object.entries(node.on).filter(([, transitions]) => transitions.length > 0);
  if (on.length > 0) json.on = Object.fromEntries(on.map(([event, transitions]) => [event, transitions.map(describeTransition)]));
  if (node.always && node.always.length > 0) json.always = node.always.map(describeTransition);
  const children = Object.entries(node.states);
  if (children.length > 0) json.states = Object.fromEntries(children.map(([key, child]) => [key, describeNode(child)]));
  return json;
}

function describeTransition(transition: Transition): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (transition.target && transition.target.length > 0) json.target = transition.target.map((target) => `#${target.id}`);
  if (transition.guard) json.guard = describeAction(transition.guard);
  if (transition.actions.length > 0) json.actions = transition.actions.map(describeAction);
  if (transition.description) json.description = transition.description;
  return json;
}

/** A named action or guard as `{ type, params }` (params only when static); a built-in as its type. */
function describeAction(action: unknown): Record<string, unknown> {
  if (typeof action === 'string') return { type: action };
  if (typeof action === 'function') return { type: (action as { type?: string }).type ?? action.name };
  const { type, params } = action as { type: string; params?: unknown };
  return params === undefined || typeof params === 'function' ? { type } : { type, params };
}

/**
 * Where a workflow no process here runs stands in its machine, read from what
 * is stored: the stored snapshot's value when the machine of `stamp` wrote
 * it, else what its status says (a finished workflow is in its final state,
 * a pending one in none yet).
 */
export function storedStateValue(status: WorkflowStatus, snapshot: unknown, stamp: string): StateValue | null {
  if (isStamped(snapshot, stamp) && snapshot.value !== undefined) return snapshot.value as StateValue;
  if (isTerminal(status.status)) return status.status;
  if (status.status === 'pending') return null;
  try {
    return snapshotFromStatus(status).value;
  } catch {
    return null;
  }
}

/** The answer of `GET /api/workflow/:id/machine`. */
export function describeMachine(status: WorkflowStatus, machine: WorkflowMachine, value: StateValue | null): WorkflowMachineInfo {
  // XState types a value's children as possibly undefined; a snapshot's never are.
  return { id: status.id, status: status.status, value: value as WorkflowMachineInfo['value'], machine: machineDefinition(machine) };
}

/** What describing a workflow's machine needs of the engine. */
export interface MachineHost {
  readonly store: WorkflowStore;
  readonly runs: Map<string, WorkflowRun>;
  readonly queue: LaunchQueue;
  readonly machines: MachineCache;
}

/**
 * The machine of workflow `id` and where it stands: a run of this process
 * says it live; otherwise the store does (on a cluster, whichever process
 * runs it). NOT_FOUND when the workflow is unknown.
 */
export async function workflowMachine(host: MachineHost, id: string): Promise<WorkflowMachineInfo> {
  const run = host.runs.get(id);
  if (run) return describeMachine(run.live.doc, host.machines.get(run.live.doc.steps).machine, run.stateValue);
  const queued = host.queue.get(id);
  if (queued) return describeMachine(queued.record.status, host.machines.get(queued.record.status.steps).machine, null);
  const record = await fromStore(() => host.store.get(id));
  if (!record) throw notFound(id);
  const { machine, stamp } = host.machines.get(record.status.steps);
  return describeMachine(record.status, machine, storedStateValue(record.status, record.snapshot, stamp));
}
